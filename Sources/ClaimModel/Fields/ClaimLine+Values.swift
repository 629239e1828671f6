extension ClaimLine {
    /// The value of a field of the line's value store: `line[.ndcCode]`. Nil when the
    /// line's file has no such column, or its row left it empty. The history store keeps
    /// a line's own fields only: a line of an earlier run has no stored values.
    public subscript<Value>(field: LineField<Value>) -> Value? {
        get { storage.values.stored[field.slot].flatMap(Value.init) }
        set { unique().values.stored[field.slot] = newValue?.lineValue }
    }

    /// Every value of the line's value store, as the partition coding writes them.
    var storedValues: LineValues {
        get { storage.values.stored }
        set { unique().values.stored = newValue }
    }
}
