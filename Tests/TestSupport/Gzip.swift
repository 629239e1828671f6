import Foundation

/// Compresses `bytes` with the system's `gzip` (`-n`: no name or time in the header,
/// so the same bytes always compress the same), the tool exports are compressed with.
public func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let compressed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw GzipFailed(status: process.terminationStatus) }
    return Array(compressed)
}

/// `gzip` ended with a failure status.
public struct GzipFailed: Error {
    public let status: Int32
}
