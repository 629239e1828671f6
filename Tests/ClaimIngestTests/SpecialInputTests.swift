import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// Only regular files are read: a FIFO or a device is looked at, never opened.
@Suite struct SpecialInputTests {
    @Test func aFIFONamedAsInputIsRefused() throws {
        let folder = ScratchFolder()
        let fifo = folder.path + "/claims.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: IngestError.notARegularFile(path: fifo, kind: "a FIFO")) {
            try InputDiscovery.inputs([fifo])
        }
        #expect(throws: IngestError.notARegularFile(path: fifo, kind: "a FIFO")) {
            try ClaimIngestor().ingest(file: fifo, accept: { _ in }, reject: { _ in })
        }
        #expect(
            IngestError.notARegularFile(path: fifo, kind: "a FIFO").description
                == "\(fifo): not a regular file (a FIFO); name claim export files or folders of them")
    }

    @Test func specialFilesAndNamesThatAreNotUTF8AreSkippedInAFolder() throws {
        let folder = ScratchFolder()
        folder.write("b.csv", "x")
        #expect(mkfifo(folder.path + "/a.csv", 0o600) == 0)
        #expect(symlink("/dev/null", folder.path + "/c.csv") == 0)
        let badName = Array((folder.path + "/d").utf8) + [0xC3, 0x28] + Array(".csv".utf8)
        let created = (badName + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { creat($0.baseAddress!, 0o600) }
        }
        #expect(created >= 0)
        close(created)
        let inputs = try InputDiscovery.inputs([folder.path])
        #expect(inputs.files == [folder.path + "/b.csv"])
        #expect(
            inputs.skipped.map(\.description) == [
                folder.path + "/d\u{FFFD}(.csv: the name is not valid UTF-8 (rename it to read it); skipped",
                folder.path + "/a.csv: not a regular file (a FIFO); skipped",
                folder.path + "/c.csv: not a regular file (a character device); skipped",
            ])
    }

    @Test func aFolderOfNothingButSpecialFilesHasNoInput() throws {
        let folder = ScratchFolder()
        #expect(mkfifo(folder.path + "/a.csv", 0o600) == 0)
        #expect(throws: IngestError.noInputFiles(folder: folder.path)) { try InputDiscovery.inputs([folder.path]) }
    }
}
