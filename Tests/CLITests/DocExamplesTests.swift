import ArgumentParser
import Foundation
import XCTest
@testable import ratingrl

/// Keeps the command examples in README.md and docs/*.md in step with the CLI:
/// every `ratingrl …` line of a fenced code block is parsed by the CLI's own
/// argument parser, so an unknown subcommand or option or a malformed value
/// fails here, naming the file and line.
///
/// Conventions the pages follow (docs/testing.md, "Command examples in the docs"):
/// - blocks whose info string is `text` (program output, key lists) are not read;
/// - a line ending in `\` continues on the next;
/// - `# …` ends a command; a comment line of the form `# name: ratingrl …`
///   (a grid or config file saying how it is run) is checked too;
/// - commands may follow `exec`, `nice`, variable assignments, `;`, `&&`, `|`, `&`;
/// - examples use concrete values (`runs/walker-ours`); shell variables such as
///   `$t` stay as they are, which is fine wherever a value is free text.
/// A `train` command that names its settings on the command line (no
/// `--config`, no `--resume`) is also resolved to a full configuration, so an
/// unknown task, method, preset or `--set` field fails too.
final class DocExamplesTests: XCTestCase {
    /// One command found in a page.
    struct Example: Equatable {
        /// The page, relative to the repository root.
        let file: String
        /// Line (from 1) where the command starts.
        let line: Int
        /// The words after `ratingrl`.
        let arguments: [String]

        var location: String { "\(file):\(line)" }
    }

    /// The pages whose examples are checked: README.md and every docs/*.md.
    static func pages() throws -> [String] {
        let docs = CommandLineTests.repositoryRoot.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path)
            .filter { $0.hasSuffix(".md") }.sorted()
        return ["README.md"] + names.map { "docs/" + $0 }
    }

    func testEveryCommandInTheDocsParses() throws {
        var examples: [Example] = []
        for page in try Self.pages() {
            let text = try String(contentsOf: CommandLineTests.repositoryRoot.appendingPathComponent(page), encoding: .utf8)
            examples += Self.examples(inMarkdown: text, file: page)
        }
        // The README alone shows one per main job; far fewer means the extraction broke.
        XCTAssertGreaterThan(examples.count, 40, "found only \(examples.count) ratingrl commands in the docs")
        for example in examples {
            if let problem = Self.problem(with: example.arguments) {
                XCTFail("\(example.location): `ratingrl \(example.arguments.joined(separator: " "))`: \(problem)")
            }
        }
    }

    /// Why the CLI rejects `arguments`, or nil when it accepts them.
    static func problem(with arguments: [String]) -> String? {
        let command: any ParsableCommand
        do { command = try RatingRL.parseAsRoot(arguments) } catch {
            return RatingRL.message(for: error)
        }
        if let train = command as? TrainCommand, train.config == nil, train.resume == nil {
            do { _ = try train.resolvedConfig() } catch { return "\(error)" }
        }
        return nil
    }

    // MARK: Extraction

    /// Every `ratingrl` command in the fenced code blocks of `text`.
    static func examples(inMarkdown text: String, file: String) -> [Example] {
        let lines = text.components(separatedBy: "\n")
        var examples: [Example] = []
        var fence: String?          // the open block's fence, nil outside a block
        var checked = false         // whether the open block is read
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let start = index
            index += 1
            if let open = fence {
                if trimmed == open { fence = nil; continue }
                guard checked else { continue }
                var logical = line
                while logical.hasSuffix("\\"), index < lines.count {
                    logical = String(logical.dropLast()) + " " + lines[index]
                    index += 1
                }
                if let arguments = command(in: logical) {
                    examples.append(Example(file: file, line: start + 1, arguments: arguments))
                }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                let marker = String(trimmed.prefix(while: { $0 == trimmed.first }))
                let info = trimmed.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
                fence = marker
                checked = info.split(separator: " ").first != "text"
            }
        }
        return examples
    }

    /// The arguments of the `ratingrl` command on a shell line, if it has one.
    static func command(in line: String) -> [String]? {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("$ ") { text.removeFirst(2) }
        if text.hasPrefix("#") {
            // A comment line runs nothing, unless it says how a file is run: "# walker.yaml: ratingrl …".
            guard let range = text.range(of: ": ratingrl ") else { return nil }
            text = String(text[text.index(range.lowerBound, offsetBy: 2)...])
        }
        for segment in split(words(text), separators: [";", "&&", "||", "|", "&"]) {
            var rest = segment[...]
            while let first = rest.first, ["exec", "nice", "time", "then", "do"].contains(first) || isAssignment(first) {
                rest = rest.dropFirst()
            }
            if let program = rest.first, program == "ratingrl" || program.hasSuffix("/ratingrl") {
                return Array(rest.dropFirst())
            }
        }
        return nil
    }

    /// `VAR=value`, a shell variable assignment.
    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Shell words with quotes removed; an unquoted `#` at a word's start ends
    /// the line, and unquoted `;`, `&` and `|` are words of their own.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var characters = line.makeIterator()
        func finish() {
            if inWord { words.append(current) }
            current = ""
            inWord = false
        }
        while let c = characters.next() {
            if let open = quote {
                if c == open { quote = nil } else { current.append(c) }
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                if let next = characters.next() { current.append(next); inWord = true }
            case " ", "\t":
                finish()
            case "#" where !inWord:
                finish()
                return words
            case ";", "&", "|":
                let operatorWord = words.last.map { $0 == String(c) && !inWord } ?? false
                finish()
                // "&&" and "||" as one word.
                if operatorWord { words[words.count - 1] += String(c) } else { words.append(String(c)) }
            default:
                current.append(c)
                inWord = true
            }
        }
        finish()
        return words
    }

    /// `words` cut at the separators (which are dropped).
    static func split(_ words: [String], separators: Set<String>) -> [[String]] {
        var segments: [[String]] = [[]]
        for word in words {
            if separators.contains(word) { segments.append([]) } else { segments[segments.count - 1].append(word) }
        }
        return segments.filter { !$0.isEmpty }
    }

    // MARK: The checker itself

    func testExtractionFollowsTheConventions() {
        let page = """
            Prose with `ratingrl train --inline` is not read.

            ```sh
            ratingrl envs
            make run    # not ratingrl
            ratingrl train --task walker-walk \\
                --steps 1000 --out "runs/a b"   # a comment
            for t in a b; do
              ratingrl render --task $t --filmstrip $t.png
            done
            export X=1 && nice ratingrl sweep --status runs
            exec /opt/bin/ratingrl sweep --out ROOT --only "$run" --jobs 1
            ```

            ```text
            ratingrl this is output --and-not --checked
            ```

            ```yaml
            # grid.yaml: ratingrl sweep grid.yaml --out runs/grid
            # a comment that mentions ratingrl
            tasks: [walker-walk]
            ```
            """
        let found = Self.examples(inMarkdown: page, file: "page.md")
        XCTAssertEqual(found.map(\.line), [4, 6, 9, 11, 12, 20])
        XCTAssertEqual(found.map(\.arguments), [
            ["envs"],
            ["train", "--task", "walker-walk", "--steps", "1000", "--out", "runs/a b"],
            ["render", "--task", "$t", "--filmstrip", "$t.png"],
            ["sweep", "--status", "runs"],
            ["sweep", "--out", "ROOT", "--only", "$run", "--jobs", "1"],
            ["sweep", "grid.yaml", "--out", "runs/grid"],
        ])
    }

    func testABogusOptionOrValueIsCaught() {
        XCTAssertNil(Self.problem(with: ["train", "--task", "walker-walk", "--steps", "1000", "--out", "runs/x"]))
        for arguments in [
            ["train", "--task", "walker-walk", "--steps", "1000", "--out", "runs/x", "--bogus", "1"],   // unknown option
            ["trian", "--task", "walker-walk"],                                                        // unknown subcommand
            ["train", "--task", "walker-walk", "--steps", "many", "--out", "runs/x"],                   // not a number
            ["train", "--task", "walker-fly", "--steps", "1000", "--out", "runs/x"],                    // unknown task
            ["train", "--task", "walker-walk", "--method", "oursx", "--steps", "1000", "--out", "runs/x"],
            ["train", "--task", "walker-walk", "--set", "gsdee=true", "--steps", "1000", "--out", "runs/x"],
            ["summarize", "runs", "--format", "xml"],                                                  // not a choice
            ["render", "--run", "runs/x", "--best"],                                                   // missing value
        ] {
            XCTAssertNotNil(Self.problem(with: arguments), "accepted: \(arguments.joined(separator: " "))")
        }
    }
}
