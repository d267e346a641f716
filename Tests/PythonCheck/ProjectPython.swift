import Foundation
import Processes
import Results
import Training

/// Python snippets run in the project's Python environment (`.venv-plot`,
/// made by `make plot-deps`), for tests that read what RatingRL writes with
/// Python's own readers (numpy, safetensors) and the repository's python/ modules.
public enum ProjectPython {
    /// The checkout this test code is in.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `script` with `arguments` as sys.argv[1...], in `directory` (by
    /// default the checkout), with the checkout's python/ folder on PYTHONPATH.
    /// - Returns: what it printed.
    /// - Throws: `RunError` with its standard error when it fails.
    public static func run(_ script: String, arguments: [String] = [], directory: String? = nil) throws -> String {
        let python = try PlotEnvironment.locate().python
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = repositoryRoot + "/python"
        let result = try ExternalProgram.run([python, "-c", script] + arguments, environment: environment,
                                             directory: directory ?? repositoryRoot)
        guard result.status == 0 else { throw RunError("Python failed (\(result.status)): \(result.error)") }
        return result.output
    }

    /// Runs `script`, which prints one JSON value, and returns it decoded.
    public static func json<T: Decodable>(_ type: T.Type, _ script: String, arguments: [String] = []) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try run(script, arguments: arguments).utf8))
    }

    /// One array as numpy read it: its type string, shape and values (row-major).
    public struct LoadedArray: Decodable, Equatable {
        /// numpy's type string, e.g. "<f8", "<i8", "<U5".
        public let dtype: String
        public let shape: [Int]
        /// Floating-point values (exact: Python sends them as hexadecimal floats).
        public let floats: [Double]?
        public let integers: [Int64]?
        public let strings: [String]?

        enum CodingKeys: String, CodingKey { case dtype, shape, floats, integers, strings }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dtype = try c.decode(String.self, forKey: .dtype)
            shape = try c.decode([Int].self, forKey: .shape)
            floats = try c.decodeIfPresent([String].self, forKey: .floats).map { try $0.map { text in
                guard let value = Double(text) else { throw RunError("\(text) is not a hexadecimal float") }
                return value
            } }
            integers = try c.decodeIfPresent([Int64].self, forKey: .integers)
            strings = try c.decodeIfPresent([String].self, forKey: .strings)
        }
    }

    /// Python that defines `described(array)`: an array as `LoadedArray` decodes it.
    static let describe = """
        import json, sys
        import numpy as np
        def described(a):
            a = np.asarray(a)
            entry = {"dtype": a.dtype.str, "shape": list(a.shape)}
            if a.dtype.kind == "f":
                entry["floats"] = [float(v).hex() for v in a.ravel()]
            elif a.dtype.kind in "iu":
                entry["integers"] = [int(v) for v in a.ravel()]
            else:
                entry["strings"] = [str(v) for v in a.ravel()]
            return entry

        """

    /// Every array of the `.npz` file at `path` as `numpy.load` reads it, after
    /// Python's zipfile has checked every entry's CRC-32.
    public static func npz(_ path: String) throws -> [String: LoadedArray] {
        try json([String: LoadedArray].self, describe + """
            import zipfile
            bad = zipfile.ZipFile(sys.argv[1]).testzip()
            assert bad is None, f"{bad} fails its CRC check"
            with np.load(sys.argv[1]) as data:
                print(json.dumps({name: described(data[name]) for name in data.files}))
            """, arguments: [path])
    }

    /// Every tensor of the safetensors file at `path` as the `safetensors`
    /// package reads it (numpy), and the file's metadata.
    public static func safetensors(_ path: String) throws -> (tensors: [String: LoadedArray], metadata: [String: String]) {
        struct Contents: Decodable { let tensors: [String: LoadedArray]; let metadata: [String: String]? }
        let contents = try json(Contents.self, describe + """
            from safetensors import safe_open
            with safe_open(sys.argv[1], framework="np") as f:
                print(json.dumps({"tensors": {name: described(f.get_tensor(name)) for name in f.keys()}, "metadata": f.metadata()}))
            """, arguments: [path])
        return (contents.tensors, contents.metadata ?? [:])
    }
}
