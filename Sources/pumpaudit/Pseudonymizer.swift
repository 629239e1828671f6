import ClaimModel
import Crypto
import Foundation

/// Replaces patient ids in every export with a keyed hash (HMAC-SHA256), so that
/// reports can leave the organisation without patient identifiers while the same
/// patient still gets the same pseudonym in every report made with the same key.
///
/// Shared by the threads that audit partitions: it holds only its key, never changed.
struct Pseudonymizer: @unchecked Sendable {
    /// The environment variable that may hold the key.
    static let keyVariable = "PUMPAUDIT_PSEUDONYM_KEY"
    static let minimumKeyBytes = 16

    private let key: SymmetricKey

    init(keyBytes: [UInt8]) throws {
        guard keyBytes.count >= Self.minimumKeyBytes else {
            throw ValidationProblem("the pseudonymization key must be at least \(Self.minimumKeyBytes) bytes")
        }
        key = SymmetricKey(data: keyBytes)
    }

    /// The key from `keyFile`, else from `$PUMPAUDIT_PSEUDONYM_KEY`.
    static func load(keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> Pseudonymizer
    {
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw ValidationProblem("\(keyFile): cannot read the pseudonymization key")
            }
            var bytes = [UInt8](data)
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            return try Pseudonymizer(keyBytes: bytes)
        }
        guard let text = environment[keyVariable], !text.isEmpty else {
            throw ValidationProblem("--pseudonymize needs a key: set \(keyVariable) or pass --pseudonym-key-file FILE")
        }
        return try Pseudonymizer(keyBytes: Array(text.utf8))
    }

    /// `PX-` and the first 20 hex digits of HMAC-SHA256(key, patient id).
    func pseudonym(for patientID: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(patientID.utf8), using: key)
        return "PX-" + mac.prefix(10).hexDigits
    }
}

/// A problem with the options that stops the run before any work (exit 2).
struct ValidationProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
