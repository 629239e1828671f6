// Placeholder while report.html is being written; replaced by its reporter.
enum HTMLReporter {
    static func render(_ summary: AuditSummary) -> String {
        "<!doctype html><title>pumpaudit</title>\n"
    }
}
