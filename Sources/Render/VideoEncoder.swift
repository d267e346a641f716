import Foundation

/// Encodes frames to an MP4 (H.264) or WebM (VP9) file by piping raw RGB
/// frames into the `ffmpeg` program. The file appears only when `finish()`
/// succeeds; until then ffmpeg writes a hidden temporary file next to it.
public final class VideoEncoder {
    /// Container formats, chosen by the file's extension.
    public enum Format: String, CaseIterable, Sendable {
        case mp4, webm
    }

    public let path: String
    public let width: Int
    public let height: Int
    public let framesPerSecond: Double
    public private(set) var frameCount = 0
    private let temporary: String
    private let process: Process
    private let input: FileHandle
    private let errors: Pipe
    private var finished = false
    private var closed = false

    /// The format `path`'s extension names, or nil.
    public static func format(of path: String) -> Format? {
        Format(rawValue: URL(fileURLWithPath: path).pathExtension.lowercased())
    }

    /// The `ffmpeg` executable on PATH, or nil.
    public static func locateFFmpeg() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts ffmpeg for a `width`×`height` video at `framesPerSecond`.
    /// - Throws: `RenderError.programMissing` when ffmpeg is not installed,
    ///   `.cannotWrite` for a bad path or extension.
    public init(path: String, width: Int, height: Int, framesPerSecond: Double) throws {
        guard let format = Self.format(of: path) else {
            throw RenderError.cannotWrite(path: path, reason: "the video's extension must be .mp4 or .webm")
        }
        guard let ffmpeg = Self.locateFFmpeg() else {
            throw RenderError.programMissing(program: "ffmpeg", debianPackage: "ffmpeg")
        }
        try AtomicOutput.checkWritable(path)
        self.path = path; self.width = width; self.height = height; self.framesPerSecond = framesPerSecond
        temporary = AtomicOutput.temporaryPath(for: path)
        // A dead ffmpeg must surface as a write error, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        let codec: [String] = switch format {
        case .mp4: ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
        case .webm: ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32", "-deadline", "realtime", "-cpu-used", "8", "-pix_fmt", "yuv420p"]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                             "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                             "-r", String(format: "%.6g", framesPerSecond), "-i", "-",
                             // yuv420p needs even sides.
                             "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"]
            + codec + ["-f", format.rawValue, temporary]
        let pipe = Pipe()
        errors = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do { try process.run() } catch {
            throw RenderError.programMissing(program: "ffmpeg", debianPackage: "ffmpeg")
        }
        input = pipe.fileHandleForWriting
    }

    deinit {
        if !finished { cancel() }
    }

    /// Appends one frame (of the encoder's size).
    /// - Throws: `RenderError.encoderFailed` when ffmpeg stopped reading.
    public func append(_ frame: RGBImage) throws {
        precondition(frame.width == width && frame.height == height, "frame size differs from the video's")
        do { try input.write(contentsOf: frame.pixels) } catch {
            throw failure(reason: "ffmpeg stopped reading frames")
        }
        frameCount += 1
    }

    /// Closes the stream, waits for ffmpeg and renames the finished file into place.
    /// - Throws: `RenderError.encoderFailed` with ffmpeg's message.
    public func finish() throws {
        try close()
        try commit()
    }

    /// Closes the stream and waits for ffmpeg; the video stays under its
    /// temporary name until `commit()` (or is removed by `cancel()`).
    /// - Throws: `RenderError.encoderFailed` with ffmpeg's message.
    public func close() throws {
        guard !closed else { return }
        closed = true
        try? input.close()
        let message = errorText()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            finished = true
            unlink(temporary)
            throw RenderError.encoderFailed("ffmpeg failed writing \(path): \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)")
        }
    }

    /// Renames the closed video into place.
    public func commit() throws {
        precondition(closed, "commit() before close()")
        guard !finished else { return }
        finished = true
        try AtomicOutput.commit(temporary, to: path)
    }

    /// Stops ffmpeg and removes its partial output.
    public func cancel() {
        finished = true
        closed = true
        try? input.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        unlink(temporary)
    }

    private func failure(reason: String) -> RenderError {
        finished = true
        closed = true
        try? input.close()
        let message = errorText()
        process.waitUntilExit()
        unlink(temporary)
        return .encoderFailed("\(reason) for \(path): \(message.isEmpty ? "exit status \(process.terminationStatus)" : message)")
    }

    private func errorText() -> String {
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
    }
}
