import CZlib
import Foundation

/// Encodes RGB images as PNG (8-bit truecolour, no interlace, zlib-deflated).
public enum PNGEncoder {
    /// The PNG file's bytes.
    public static func encode(_ image: RGBImage) -> Data {
        // Each row is prefixed with filter type 0 (none).
        let rowBytes = image.width * 3
        var raw = [UInt8](repeating: 0, count: (rowBytes + 1) * image.height)
        for row in 0..<image.height {
            raw[row * (rowBytes + 1) + 1..<(row + 1) * (rowBytes + 1)] = image.pixels[row * rowBytes..<(row + 1) * rowBytes]
        }
        var compressedSize = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        let status = compress2(&compressed, &compressedSize, raw, uLong(raw.count), 6)
        precondition(status == Z_OK, "zlib compress2 failed with status \(status)")
        compressed.removeSubrange(Int(compressedSize)...)

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        header += bigEndian(UInt32(image.width)) + bigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type RGB, deflate, filter 0, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Writes `image` to `path` atomically (a temporary file renamed into place).
    /// - Throws: `RenderError.cannotWrite`.
    public static func write(_ image: RGBImage, to path: String) throws {
        try AtomicOutput.write(encode(image), to: path)
    }

    private static func appendChunk(_ type: String, _ body: [UInt8], to png: inout Data) {
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: bigEndian(UInt32(body.count)))
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: body)
        var crc = crc32(0, typeBytes, uInt(typeBytes.count))
        crc = body.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        png.append(contentsOf: bigEndian(UInt32(crc)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
