import ArborWire

extension FreshnessRequirement {
    /// The requirement a request's `freshness` field states; an absent field asks for the server's defaults.
    init(_ freshness: ArborV1.Freshness?) {
        self.init(
            maxStalenessMs: freshness?.maxStalenessMs ?? 0, requireLive: freshness?.requireLive ?? false,
            minVersion: freshness?.minVersion ?? 0
        )
    }
}
