using System.Globalization;
using RiskAlign.Framework.Models.TorchRuntime;

namespace RiskAlign.Framework.Training;

/// <summary>
/// How much device memory the frozen reference's outputs on a task's pairs may take when trials share them
/// (<see cref="ReferenceOutputSharing"/>): a size (<c>512MiB</c>, <c>2GB</c>, <c>1073741824</c>) or a fraction of the
/// device's memory (<c>25%</c>, <c>0.25</c>); <c>0</c> turns sharing off (a reference forward every step).
/// </summary>
public sealed record ReferenceOutputBudget
{
    private ReferenceOutputBudget(long? bytes, double? fraction)
    {
        Bytes = bytes;
        Fraction = fraction;
    }

    /// <summary>A fixed size in bytes, or null when the budget is a fraction.</summary>
    public long? Bytes { get; }

    /// <summary>A fraction of the device's memory in (0, 1], or null when the budget is a size.</summary>
    public double? Fraction { get; }

    /// <summary>256 MiB, what a trial cached for itself before outputs were shared.</summary>
    public static ReferenceOutputBudget Default { get; } = new(256L << 20, null);

    /// <summary>No sharing: the reference runs at every step.</summary>
    public static ReferenceOutputBudget Off { get; } = new(0, null);

    /// <summary>A size in bytes.</summary>
    public static ReferenceOutputBudget OfBytes(long bytes) =>
        bytes >= 0 ? new(bytes, null) : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A budget cannot be negative.");

    /// <summary>Reads a budget as a user writes it.</summary>
    /// <exception cref="FormatException">Neither a size nor a fraction; the message says what is accepted.</exception>
    public static ReferenceOutputBudget Parse(string text)
    {
        var s = text.Trim();
        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100)
            return new(null, percent / 100);
        if (s.Contains('.') && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > 0 and <= 1)
            return new(null, fraction);
        (string Suffix, long Scale)[] units = [("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("B", 1)];
        foreach (var (suffix, scale) in units)
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s[..^suffix.Length].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
                return new((long)(amount * scale), null);
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return new(bytes, null);
        throw new FormatException($"Reference output budget '{text}': expected a size (512MiB, 2GB, a number of bytes; 0 = no sharing) or a fraction of device memory (25%, 0.25).");
    }

    /// <summary>The budget in bytes on <paramref name="device"/>: the size, or the fraction of the device's memory (NVML's
    /// total for CUDA, the memory available to this process for the CPU; 0 when it cannot be read).</summary>
    public long BytesOn(Device device)
    {
        if (Bytes is { } bytes) return bytes;
        long total = device.type == DeviceType.CUDA
            ? NvmlMemory.TryList()?.FirstOrDefault(d => d.Index == Math.Max(0, device.index))?.TotalBytes ?? 0
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return (long)(total * Fraction!.Value);
    }

    /// <inheritdoc />
    public override string ToString() => Bytes is { } b ? $"{b / (1024.0 * 1024):0.#} MiB" : $"{Fraction * 100:0.##}% of device memory";
}
