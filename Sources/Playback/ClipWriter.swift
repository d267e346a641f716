import Foundation
import Render

/// What a clip is, for its captions and file names.
public struct ClipInfo: Sendable, Equatable {
    /// A short name, e.g. "rating-12" or "episode-0".
    public var name: String
    /// Episode step of the first frame.
    public var firstStep: Int
    /// Frames the clip will have (actions + 1).
    public var frameCount: Int
    /// The class the rater gave, for a rated segment.
    public var rating: Int?
    /// The segment's true return, for a rated segment.
    public var trueReturn: Double?

    public init(name: String, firstStep: Int, frameCount: Int, rating: Int? = nil, trueReturn: Double? = nil) {
        self.name = name; self.firstStep = firstStep; self.frameCount = frameCount
        self.rating = rating; self.trueReturn = trueReturn
    }
}

/// Where frames go: a folder of PNGs, a filmstrip PNG (one row per clip, every
/// k-th frame with a caption) and a video. Frames are streamed, not kept.
/// Nothing appears at the output paths unless `finish()` succeeds.
public final class ClipWriter {
    public struct Outputs: Sendable, Equatable {
        /// Folder for PNG frames (`frame-NNNN.png`, in `clip-KK/` folders when there are several clips).
        public var frameFolder: String?
        public var filmstrip: String?
        /// Every how many frames the filmstrip takes one; nil picks about 8 per clip.
        public var filmstripStride: Int?
        public var video: String?
        /// Caption the filmstrip's frames (step, reward, class, true return).
        public var captions: Bool
        /// Replace an existing frame folder.
        public var overwrite: Bool

        public init(frameFolder: String? = nil, filmstrip: String? = nil, filmstripStride: Int? = nil,
                    video: String? = nil, captions: Bool = true, overwrite: Bool = false) {
            self.frameFolder = frameFolder; self.filmstrip = filmstrip; self.filmstripStride = filmstripStride
            self.video = video; self.captions = captions; self.overwrite = overwrite
        }

        public var isEmpty: Bool { frameFolder == nil && filmstrip == nil && video == nil }
    }

    public let outputs: Outputs
    private let clipCount: Int
    private var video: VideoEncoder?
    private var temporaryFolder: String?
    private var stripRows: [[RGBImage]] = []
    private var clipIndex = -1
    private var frameIndex = 0
    private var stride = 1
    private var finished = false

    /// Checks every output path and starts the video encoder.
    /// - Throws: `RenderError` for an unwritable path, an existing frame folder
    ///   (without `overwrite`), a bad video extension or a missing ffmpeg.
    public init(outputs: Outputs, clipCount: Int, width: Int, height: Int, framesPerSecond: Double) throws {
        self.outputs = outputs
        self.clipCount = clipCount
        // Every output is refused alike when it exists: a frame folder, a filmstrip, a video.
        for path in [outputs.filmstrip, outputs.video].compactMap({ $0 }) where !outputs.overwrite && FileManager.default.fileExists(atPath: path) {
            throw RenderError.cannotWrite(path: path, reason: "it already exists; remove it, choose another name or pass --overwrite")
        }
        if let strip = outputs.filmstrip {
            guard strip.lowercased().hasSuffix(".png") else {
                throw RenderError.cannotWrite(path: strip, reason: "a filmstrip is a PNG file; name it *.png")
            }
            try AtomicOutput.checkWritable(strip)
        }
        if let folder = outputs.frameFolder {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && !outputs.overwrite {
                throw RenderError.cannotWrite(path: folder, reason: "it already exists; remove it, choose another folder or pass --overwrite")
            }
            let temporary = AtomicOutput.temporaryPath(for: folder)
            do { try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false) } catch {
                throw RenderError.cannotWrite(path: folder, reason: "cannot create a folder next to it (\(error.localizedDescription))")
            }
            temporaryFolder = temporary
        }
        if let path = outputs.video {
            do { video = try VideoEncoder(path: path, width: width, height: height, framesPerSecond: framesPerSecond) } catch {
                removeTemporaryFolder()
                throw error
            }
        }
    }

    deinit { if !finished { cancel() } }

    /// Starts the next clip.
    public func begin(_ clip: ClipInfo) {
        clipIndex += 1
        frameIndex = 0
        stride = outputs.filmstripStride ?? max(1, (clip.frameCount + 7) / 8)
        if outputs.filmstrip != nil { stripRows.append([]) }
        if clipCount > 1, let folder = temporaryFolder {
            try? FileManager.default.createDirectory(atPath: clipFolder(folder), withIntermediateDirectories: false)
        }
    }

    /// Whether the current frame goes into the filmstrip.
    public var takesFilmstripFrame: Bool { outputs.filmstrip != nil && frameIndex % stride == 0 }

    /// Whether `add` wants a captioned copy of the current frame.
    public var wantsCaptionedFrame: Bool { outputs.captions && takesFilmstripFrame }

    /// Adds the current clip's next frame; `captioned` is its annotated copy
    /// for the filmstrip (the frame itself goes there when it is nil).
    public func add(_ frame: RGBImage, captioned: RGBImage?) throws {
        if let folder = temporaryFolder {
            let name = String(format: "frame-%04d.png", frameIndex)
            let path = (clipCount > 1 ? clipFolder(folder) : folder) + "/" + name
            guard FileManager.default.createFile(atPath: path, contents: PNGEncoder.encode(frame)) else {
                throw RenderError.cannotWrite(path: outputs.frameFolder!, reason: "cannot write \(name) into it")
            }
        }
        if takesFilmstripFrame { stripRows[stripRows.count - 1].append(captioned ?? frame) }
        try video?.append(frame)
        frameIndex += 1
    }

    /// Writes the filmstrip, closes the video and, when both succeeded, moves
    /// every output into place.
    public func finish() throws {
        finished = true
        var stripTemporary: String?
        do {
            if let strip = outputs.filmstrip {
                let temporary = AtomicOutput.temporaryPath(for: strip)
                guard FileManager.default.createFile(atPath: temporary, contents: PNGEncoder.encode(RGBImage.grid(stripRows))) else {
                    throw RenderError.cannotWrite(path: strip, reason: "the file cannot be created")
                }
                stripTemporary = temporary
            }
            try video?.close()
            if let temporary = temporaryFolder, let folder = outputs.frameFolder {
                if outputs.overwrite && FileManager.default.fileExists(atPath: folder) {
                    try? FileManager.default.removeItem(atPath: folder)
                }
                try AtomicOutput.commit(temporary, to: folder)
                temporaryFolder = nil
            }
            if let stripTemporary, let strip = outputs.filmstrip { try AtomicOutput.commit(stripTemporary, to: strip) }
            stripTemporary = nil
            try video?.commit()
            video = nil
        } catch {
            if let stripTemporary { unlink(stripTemporary) }
            cancel()
            throw error
        }
    }

    /// Abandons every output: nothing is left behind.
    public func cancel() {
        finished = true
        video?.cancel()
        video = nil
        removeTemporaryFolder()
    }

    private func clipFolder(_ base: String) -> String { base + String(format: "/clip-%02d", clipIndex) }

    private func removeTemporaryFolder() {
        if let temporaryFolder { try? FileManager.default.removeItem(atPath: temporaryFolder) }
        temporaryFolder = nil
    }
}
