/// Why an array could not be written; the message names it and says what is wrong.
public struct TensorFileError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
