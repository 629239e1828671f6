import Foundation
import TestSupport
import Testing

@testable import ClaimModel

@Suite struct SystemFileTests {
    @Test func aFailureCarriesTheSystemsReason() {
        let folder = ScratchFolder()
        #expect(throws: SystemFile.Failure.self) { try SystemFile.open(folder.file("missing.csv"), O_RDONLY) }
        do {
            _ = try SystemFile.status(folder.file("missing.csv"))
            Issue.record("a missing file has a status")
        } catch {
            #expect(error.reason == SystemFile.reason(ENOENT))
        }
    }

    @Test func statusOfALinkIsTheLinksOwnUnlessFollowed() throws {
        let folder = ScratchFolder()
        let target = folder.write("target.csv", "x")
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.csv"), withDestinationPath: target)
        #expect(try SystemFile.status(folder.file("link.csv")).st_mode & S_IFMT == S_IFREG)
        #expect(try SystemFile.status(folder.file("link.csv"), followingLinks: false).st_mode & S_IFMT == S_IFLNK)
    }

    @Test func aLockIsHeldUntilItsHolderGoes() throws {
        let folder = ScratchFolder()
        var holder: FileLock? = try FileLock(path: folder.file("run.lock"), timeout: 1)
        #expect(throws: FileLock.Failure.self) { try FileLock(path: folder.file("run.lock"), timeout: 0.2) }
        withExtendedLifetime(holder) {}
        holder = nil
        _ = try FileLock(path: folder.file("run.lock"), timeout: 1)
    }

    @Test func aLockIsNeverTakenThroughALink() throws {
        let folder = ScratchFolder()
        let target = folder.write("elsewhere", "")
        try FileManager.default.createSymbolicLink(atPath: folder.file("planted.lock"), withDestinationPath: target)
        #expect(throws: FileLock.Failure.self) { try FileLock(path: folder.file("planted.lock"), timeout: 0) }
    }
}
