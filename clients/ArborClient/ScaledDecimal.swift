/// Measures of numeric columns travel as integers: the sum × 10^scale (``ModelDescription/Measure/scale``). This
/// writes such a value as the decimal it stands for, exactly (no floating point): scale 2 turns 12345 into
/// `123.45` and -5 into `-0.05`.
public enum ScaledDecimal {
    /// `value / 10^scale` in decimal with exactly `scale` digits after the point (none for scale 0).
    public static func text(_ value: Int64, scale: UInt32) -> String {
        guard scale > 0 else { return String(value) }
        let digits = String(value.magnitude)
        let width = Int(scale)
        let padded = digits.count > width ? digits : String(repeating: "0", count: width + 1 - digits.count) + digits
        let point = padded.index(padded.endIndex, offsetBy: -width)
        return (value < 0 ? "-" : "") + padded[..<point] + "." + padded[point...]
    }
}
