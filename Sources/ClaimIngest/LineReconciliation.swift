import ClaimModel

/// The passes that run over all lines of a run after they are read and before the
/// rules see them, so that a service is counted once and a service taken back not at all.
///
/// The order matters:
/// 1. **Claim headers fill their lines** (`ClaimHeaderJoin`). A facility line without a
///    type of bill (a CCLF2 revenue center line) takes the type of bill, adjustment,
///    dates, NPIs and diagnoses of the line of the same patient and claim id that has
///    one (its CCLF1 claim header). It goes first: the adjustment decides the passes below.
/// 2. **Duplicates.** Lines with the same claim id, line number, patient, date, code,
///    units, claim type and adjustment are one line read twice; the first is kept. Lines
///    without a line number are duplicates only when read from different files, since
///    one export may list the same service twice without numbering it.
///    Duplicates go first, so that a file read twice is voided or reversed once.
/// 3. **Voids and replacements**, by claim id and patient. A void (frequency 8, or CCLF
///    adjustment type 1) removes every line of its claim id, its own included. A void
///    whose claim id matches nothing else (CCLF gives a cancellation its own id) removes,
///    per void line, one line of the same patient, date, code, units and provider.
///    A replacement (frequency 7, or CCLF adjustment type 2) removes the original
///    lines of its claim id; when several replacements were read, the last file's wins.
///    A line joined to its header belongs to the header's file here: a CCLF1 header and
///    its CCLF2 lines are one version of the claim, whichever file was read last.
///    CCLF gives an adjustment a claim id of its own, and withdraws the version it
///    adjusts by a cancellation (type 1) of that version: the cancellation takes the
///    old version back as a void under its own id does, and the adjustment stays.
/// 4. **Reversals.** A line with negative units or a negative amount cancels one line of
///    the same patient, date and code with the same absolute units, on the same claim
///    id, else from the same provider. Both go.
public enum LineReconciliation {
    public static func reconcile(_ lines: inout [ClaimLine]) -> DroppedLineCounts {
        var joins = ClaimHeaderJoinCounts()
        return reconcile(&lines, joins: &joins)
    }

    /// Reconciles `lines`, and adds to `joins` what the claim headers filled.
    public static func reconcile(_ lines: inout [ClaimLine], joins: inout ClaimHeaderJoinCounts) -> DroppedLineCounts {
        var counts = DroppedLineCounts()
        let join = ClaimHeaderJoin.apply(&lines)
        joins += join.counts
        var removed = [Bool](repeating: false, count: lines.count)
        counts.duplicates = markDuplicates(lines, &removed)
        netVoidsAndReplacements(lines, versionFile: join.versionFile, &removed, &counts)
        netReversals(lines, &removed, &counts)
        if counts.total > 0 {
            var index = 0
            lines.removeAll { _ in
                defer { index += 1 }
                return removed[index]
            }
        }
        return counts
    }

    /// A claim: its id within one patient's lines.
    struct ClaimKey: Hashable {
        let patient: String
        let claimID: String
    }

    /// The indices of `lines` for which `include` holds, grouped by claim.
    static func claimGroups(_ lines: [ClaimLine], where include: (Int) -> Bool = { _ in true })
        -> [ClaimKey: [Int]]
    {
        var groups: [ClaimKey: [Int]] = [:]
        for index in lines.indices where include(index) {
            groups[ClaimKey(patient: lines[index].patientID, claimID: lines[index].claimID), default: []].append(index)
        }
        return groups
    }

    // MARK: 2. Duplicates

    private struct LineKey: Hashable {
        let claimID: String
        let lineNumber: Int?
        let patient: String
        let date: ServiceDate
        let code: String
        let units: Int
        let claimType: ClaimType
        let adjustment: ClaimAdjustment

        init(_ line: ClaimLine) {
            claimID = line.claimID
            lineNumber = line.lineNumber
            patient = line.patientID
            date = line.serviceDate
            code = line.code
            units = line.units
            claimType = line.claimType
            adjustment = line.adjustment
        }
    }

    private static func markDuplicates(_ lines: [ClaimLine], _ removed: inout [Bool]) -> Int {
        // Sized for every line at once: grown step by step, the table rehashed every key
        // at each doubling (half a percent of the CPU of a 4M-line run, in `perf record`).
        var firstFile: [LineKey: String] = [:]
        firstFile.reserveCapacity(lines.count)
        var count = 0
        for index in lines.indices {
            let line = lines[index]
            let key = LineKey(line)
            guard let file = firstFile[key] else {
                firstFile[key] = line.source.file
                continue
            }
            if line.lineNumber != nil || file != line.source.file {
                removed[index] = true
                count += 1
            }
        }
        return count
    }

    // MARK: 3. Voids and replacements

    private static func netVoidsAndReplacements(
        _ lines: [ClaimLine], versionFile: [Int: String], _ removed: inout [Bool], _ counts: inout DroppedLineCounts
    ) {
        func version(_ index: Int) -> String { versionFile[index] ?? lines[index].source.file }
        // Most partitions hold no void and no replacement at all.
        guard lines.contains(where: { $0.adjustment != .original }) else { return }
        let groups = claimGroups(lines) { !removed[$0] }
        var unmatchedVoids: [Int] = []
        for key in groups.keys.sorted(by: { ($0.claimID, $0.patient) < ($1.claimID, $1.patient) }) {
            let indices = groups[key]!
            if indices.contains(where: { lines[$0].adjustment == .void }) {
                if indices.allSatisfy({ lines[$0].adjustment == .void }) {
                    unmatchedVoids += indices
                    continue
                }
                for index in indices {
                    removed[index] = true
                    counts.voided += 1
                }
            } else if let last = indices.last(where: { lines[$0].adjustment == .replacement }) {
                let latest = version(last)
                for index in indices
                where lines[index].adjustment != .replacement || version(index) != latest {
                    removed[index] = true
                    counts.replaced += 1
                }
            }
        }
        // A void under an id of its own: take back a matching line of another claim.
        var candidates = ServiceIndex(lines, where: { !removed[$0] && lines[$0].adjustment != .void })
        for index in unmatchedVoids.sorted() {
            removed[index] = true
            let void = lines[index]
            if void.code.isEmpty {
                // A claim header or revenue-code line: its claim's coded lines carry the match.
                counts.voided += 1
            } else if let match = candidates.take(
                matching: void, units: abs(void.units), in: lines, sameProviderOnly: true)
            {
                removed[match] = true
                counts.voided += 2
            } else {
                counts.unmatched += 1
            }
        }
    }

    // MARK: 4. Reversals

    static func isReversal(_ line: ClaimLine) -> Bool {
        line.units < 0 || (line.paidAmount?.cents ?? 0) < 0 || (line.allowedAmount?.cents ?? 0) < 0
            || (line.chargeAmount?.cents ?? 0) < 0
    }

    private static func netReversals(_ lines: [ClaimLine], _ removed: inout [Bool], _ counts: inout DroppedLineCounts) {
        let reversals = lines.indices.filter { !removed[$0] && isReversal(lines[$0]) }
        guard !reversals.isEmpty else { return }
        let reversalSet = Set(reversals)
        var candidates = ServiceIndex(lines, where: { !removed[$0] && !reversalSet.contains($0) })
        for index in reversals {
            removed[index] = true
            let reversal = lines[index]
            if let match = candidates.take(matching: reversal, units: abs(reversal.units), in: lines) {
                removed[match] = true
                counts.reversed += 2
            } else {
                counts.unmatched += 1
            }
        }
    }

    /// Lines by patient, date and code, for finding the one a void or reversal takes back.
    private struct ServiceIndex {
        struct Key: Hashable {
            let patient: String
            let date: ServiceDate
            let code: String
        }
        var indices: [Key: [Int]] = [:]

        init(_ lines: [ClaimLine], where include: (Int) -> Bool) {
            for index in lines.indices where include(index) {
                let line = lines[index]
                indices[Key(patient: line.patientID, date: line.serviceDate, code: line.code), default: []].append(
                    index)
            }
        }

        /// Removes and returns the best match: same claim id first, then same provider.
        mutating func take(matching line: ClaimLine, units: Int, in lines: [ClaimLine], sameProviderOnly: Bool = false)
            -> Int?
        {
            let key = Key(patient: line.patientID, date: line.serviceDate, code: line.code)
            guard let options = indices[key] else { return nil }
            // An original before a replacement: a cancellation takes back what it cancels.
            let sameUnits = options.filter { lines[$0].units == units }
            let fits =
                sameUnits.filter { lines[$0].adjustment == .original }
                + sameUnits.filter {
                    lines[$0].adjustment != .original
                }
            let sameClaim = sameProviderOnly ? nil : fits.first { lines[$0].claimID == line.claimID }
            // Two lines without any provider NPI count as the same provider: the export has none.
            let sameProvider = fits.first { lines[$0].providerNPI == line.providerNPI }
            guard let match = sameClaim ?? sameProvider else { return nil }
            indices[key]?.removeAll { $0 == match }
            return match
        }
    }
}
