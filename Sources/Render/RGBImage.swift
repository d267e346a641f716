/// An 8-bit RGB image, rows from top to bottom, pixels left to right.
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes: R, G, B per pixel.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "pixel buffer does not match \(width)x\(height)")
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// A uniformly coloured image.
    public init(width: Int, height: Int, red: UInt8, green: UInt8, blue: UInt8) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in stride(from: 0, to: pixels.count, by: 3) {
            pixels[i] = red; pixels[i + 1] = green; pixels[i + 2] = blue
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    /// The same image upside down (OpenGL reads rows bottom-up).
    public func flippedVertically() -> RGBImage {
        let rowBytes = width * 3
        var flipped = [UInt8](repeating: 0, count: pixels.count)
        for row in 0..<height {
            let source = (height - 1 - row) * rowBytes
            flipped[row * rowBytes..<(row + 1) * rowBytes] = pixels[source..<source + rowBytes]
        }
        return RGBImage(width: width, height: height, pixels: flipped)
    }

    /// How many distinct colours the image has, counting at most `limit`.
    public func distinctColours(limit: Int = 1 << 16) -> Int {
        var seen = Set<UInt32>()
        for i in stride(from: 0, to: pixels.count, by: 3) {
            seen.insert(UInt32(pixels[i]) << 16 | UInt32(pixels[i + 1]) << 8 | UInt32(pixels[i + 2]))
            if seen.count >= limit { break }
        }
        return seen.count
    }

    /// A stable 64-bit FNV-1a digest of size and pixels (the same in every process).
    public var digest: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for value in [width, height] { for shift in stride(from: 0, to: 64, by: 8) { mix(UInt8(truncatingIfNeeded: value >> shift)) } }
        for byte in pixels { mix(byte) }
        return hash
    }

    /// Copies `image` into this one with its top-left corner at (`x`, `y`), clipped to the bounds.
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        for row in 0..<image.height where y + row >= 0 && y + row < height {
            let columns = max(0, -x)..<min(image.width, width - x)
            guard !columns.isEmpty else { continue }
            let source = (row * image.width + columns.lowerBound) * 3
            let target = ((y + row) * width + x + columns.lowerBound) * 3
            pixels[target..<target + columns.count * 3] = image.pixels[source..<source + columns.count * 3]
        }
    }

    /// A grid of images: each inner array one row, left to right, separated by
    /// `gap` pixels of the background colour. Cells are as large as the largest image.
    public static func grid(_ rows: [[RGBImage]], gap: Int = 2, background: UInt8 = 255) -> RGBImage {
        let cellWidth = rows.flatMap { $0 }.map(\.width).max() ?? 0
        let cellHeight = rows.flatMap { $0 }.map(\.height).max() ?? 0
        let columns = rows.map(\.count).max() ?? 0
        let width = max(1, columns * cellWidth + max(0, columns - 1) * gap)
        let height = max(1, rows.count * cellHeight + max(0, rows.count - 1) * gap)
        var canvas = RGBImage(width: width, height: height, red: background, green: background, blue: background)
        for (r, row) in rows.enumerated() {
            for (c, image) in row.enumerated() {
                canvas.paste(image, x: c * (cellWidth + gap), y: r * (cellHeight + gap))
            }
        }
        return canvas
    }
}
