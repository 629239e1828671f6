/// A row that ingest writes into its patient's partition as it was read, undecoded.
///
/// Most kept rows of a claim dump are E/M, drug and facility lines of patients with no
/// pump service: context that no rule reads unless the patient has one, which is known
/// only once the whole dump is read. Such a row, when it holds no quote, goes into
/// the partition as its bytes with the few values the partition needs (patient and
/// claim for the scan, the date for the run's range). It is parsed with libcsv and
/// decoded only if its patient is audited; a row that then fails to decode is a
/// rejection found late (`PatientPartitions.read`).
public struct DeferredRow {
    /// As the decoded line would hold them.
    public var patientID: SpillText
    public var claimID: SpillText
    /// The line's date of service, as decoding would give it: the partitions' earliest
    /// and latest dates count it.
    public var serviceDate: ServiceDate
    /// The code, upper-case: a sink decodes at once a row of a code that opens an audit.
    public var code: SpillText
    /// The physical line (1-based) in what the sink's reader reads.
    public var sourceLine: Int
    /// The record's bytes, without the line break; valid only during the call.
    public var raw: UnsafeBufferPointer<UInt8>

    public init(
        patientID: SpillText, claimID: SpillText, serviceDate: ServiceDate, code: SpillText, sourceLine: Int,
        raw: UnsafeBufferPointer<UInt8>
    ) {
        self.patientID = patientID
        self.claimID = claimID
        self.serviceDate = serviceDate
        self.code = code
        self.sourceLine = sourceLine
        self.raw = raw
    }
}

/// Decodes the rows a file's reader deferred, as the reader would have decoded them.
public protocol DeferredLineDecoder: AnyObject, Sendable {
    /// A reader for one thread: it may hold a parser, reused from row to row.
    func makeReader() -> any DeferredLineReader
}

public protocol DeferredLineReader: AnyObject {
    /// Decodes `raw`, the row at `line` of its file: its fields into `fields`, and nil;
    /// or the row's rejection, with its file, line and reason.
    func decode(_ raw: UnsafeBufferPointer<UInt8>, line: Int, into fields: inout ClaimLineFields) -> Rejection?
}

/// A partition read back: the lines of the patients chosen, and what became of the rest.
public struct PartitionLines {
    public var lines: [ClaimLine] = []
    /// Lines of patients not chosen, left undecoded.
    public var leftOut = 0
    /// Deferred rows of chosen patients that did not decode, in the order read.
    public var rejections: [Rejection] = []
}
