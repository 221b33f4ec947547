import Foundation
import Testing

/// Checked-in expected outputs under `Golden/`. `ARBOR_UPDATE_GOLDEN=1` rewrites them from the actual output.
enum Golden {
    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden")
    }

    /// Replaces what changes from run to run: the age and version in footers, the timestamps and version in JSON,
    /// and page tokens (opaque: their form is the server's business).
    static func mask(_ text: String) -> String {
        let rules: [(String, String)] = [
            (#"as of [^,\n]+ ago"#, "as of <AGE> ago"),
            (#"version [0-9]+"#, "version <VERSION>"),
            (#""as_of": "[^"]*""#, #""as_of": "<AS_OF>""#),
            (#""as_of_unix_ms": -?[0-9]+"#, #""as_of_unix_ms": "<AS_OF_MS>""#),
            (#""version": [0-9]+"#, #""version": "<VERSION>""#),
            (#"--page-token [^ \n]+"#, "--page-token <TOKEN>"),
            (#""next_page_token": "[^"]*""#, #""next_page_token": "<TOKEN>""#),
        ]
        var result = text
        for (pattern, replacement) in rules {
            let expression = try! NSRegularExpression(pattern: pattern)
            result = expression.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result),
                withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
        }
        return result
    }

    /// Compares masked `actual` with the golden file `name`.
    static func check(_ actual: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        let masked = mask(actual)
        if ProcessInfo.processInfo.environment["ARBOR_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try masked.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "missing golden file \(name); run with ARBOR_UPDATE_GOLDEN=1 to create it",
                sourceLocation: sourceLocation)
            return
        }
        #expect(masked == expected, "output differs from Golden/\(name)", sourceLocation: sourceLocation)
    }
}
