/// The fields of the line's value store. A new one is a declaration here and its entry
/// in `ClaimField.stored`: the column map, the decoder, the partition coding and
/// `ClaimLine` carry it with no change, and a rule reads it as `line[.name]`.
extension LineField where Value == String {
    /// The National Drug Code of a drug the line bills, as written (CMS writes 11 digits,
    /// 5-4-2, without hyphens). The CMS names are those of BFD's data dictionary:
    /// `LINE_NDC_CD` on RIF carrier and DME lines, `REV_CNTR_IDE_NDC_UPC_NUM` on RIF
    /// revenue center lines (which may hold a UPC or a device number instead), and
    /// `CLM_LINE_NDC_CD` in CCLF.
    public static let ndcCode = LineField(
        "ndc_code",
        aliases: [
            "NDC", "National Drug Code", "NDC_CD", "LINE_NDC_CD", "REV_CNTR_IDE_NDC_UPC_NUM", "CLM_LINE_NDC_CD",
        ],
        format: .code)
}

extension ClaimField {
    /// The fields of the line's value store, in slot order: every `LineField` above, once.
    public static let stored: [ClaimField] = [LineField<String>.ndcCode.field]
}
