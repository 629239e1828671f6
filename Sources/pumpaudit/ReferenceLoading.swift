import ClaimIngest
import ClaimModel

/// Builds the run's reference data: the built-in tables, each replaced by the CMS
/// files the user names for its kind (never merged with them).
enum ReferenceLoading {
    /// The CMS files named on the command line, by table.
    struct Files {
        var practitionerPTP: [String] = []
        var outpatientPTP: [String] = []
        var practitionerMUE: String?
        var outpatientMUE: String?
    }

    static func load(_ files: Files) throws -> ReferenceData {
        var reference = ReferenceData.builtIn
        for file in files.practitionerPTP {
            reference.practitionerPTP.load(try CMSReferenceFiles.loadPTP(file), from: file)
        }
        for file in files.outpatientPTP {
            reference.outpatientPTP.load(try CMSReferenceFiles.loadPTP(file), from: file)
        }
        if let file = files.practitionerMUE {
            reference.practitionerMUE.load(try CMSReferenceFiles.loadMUE(file, setting: .practitioner), from: file)
        }
        if let file = files.outpatientMUE {
            reference.outpatientMUE.load(
                try CMSReferenceFiles.loadMUE(file, setting: .outpatientHospital), from: file)
        }
        return reference
    }

    /// One line per table for the summary: built-in (with its date) or the files loaded in its place.
    static func describe(_ reference: ReferenceData) -> [String] {
        func origin(builtIn: String, loaded: [String]) -> String {
            loaded.isEmpty
                ? builtIn + " (derived from the CMS files; load the current ones for the values in force)"
                : "loaded " + loaded.joined(separator: ", ") + ", replacing the built-in table"
        }
        let ptp = [reference.practitionerPTP, reference.outpatientPTP].map { table in
            "NCCI PTP edits, \(table.setting.name): "
                + origin(builtIn: BuiltInReference.ptpName(table.setting), loaded: table.loadedFiles)
                + " (\(table.count) edits)"
        }
        let mue = [reference.practitionerMUE, reference.outpatientMUE].map { table in
            "MUE values, \(table.setting.name): "
                + origin(builtIn: BuiltInReference.mueName(table.setting), loaded: table.loadedFiles)
                + " (\(table.count) codes)"
        }
        return ptp + mue
    }
}
