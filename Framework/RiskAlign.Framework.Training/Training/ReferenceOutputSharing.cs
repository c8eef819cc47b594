using System.Diagnostics;
using System.Runtime.CompilerServices;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Training;

/// <summary>
/// The frozen reference's outputs (logits <c>[N, T_max, V]</c>, float32) on a task build's training and evaluation pairs,
/// computed once per process and device and shared by every trial of that build (they all hold the same reference
/// weights and the same pair arrays), within a <see cref="ReferenceOutputBudget"/> counted over the build's pair sets
/// together. A pair set that does not fit is not shared: its trials run the reference at every step, and the trace says so.
/// One instance per trial: it also counts the reference forwards the trial ran itself.
/// </summary>
internal sealed class ReferenceOutputSharing(object buildKey, long budgetBytes)
{
    // One per task build (keyed by its training-pair array, which the build's trials share): the sets computed or being
    // computed and the bytes they hold. The outputs live as long as the build.
    private static readonly ConditionalWeakTable<object, BuildOutputs> Builds = new();

    private int _forwards;

    /// <summary>Name of the trace event when a pair set is not shared.</summary>
    public const string FallbackEvent = "riskalign.reference.per_step";

    /// <summary>Reference forwards (batches through the reference model) this trial ran itself.</summary>
    public int Forwards => _forwards;

    /// <summary>Counts one reference forward of this trial.</summary>
    public void CountForward() => Interlocked.Increment(ref _forwards);

    /// <summary>No sharing at all (budget 0), for callers outside a trial.</summary>
    public static ReferenceOutputSharing None() => new(new object(), 0);

    /// <summary>
    /// The shared outputs of pair set <paramref name="set"/> (<c>train</c>, <c>eval</c>) on <paramref name="device"/>:
    /// computed now by <paramref name="compute"/> (this trial's forwards) if no trial did, waited for if one is
    /// computing them, or null when <paramref name="bytes"/> more do not fit the budget.
    /// </summary>
    public (Tensor Chosen, Tensor Rejected)? TryShare(string set, Device device, long bytes, Func<(Tensor Chosen, Tensor Rejected)> compute)
    {
        var build = Builds.GetValue(buildKey, _ => new BuildOutputs());
        string key = $"{set}|{device}";
        Lazy<(Tensor, Tensor)> lazy;
        lock (build)
        {
            // Budget 0 turns sharing off for this trial, even where other trials share.
            if (budgetBytes <= 0 || !build.Sets.TryGetValue(key, out lazy!))
            {
                if (budgetBytes <= 0 || build.ReservedBytes + bytes > budgetBytes)
                {
                    Activity.Current?.AddEvent(new ActivityEvent(FallbackEvent, tags: new ActivityTagsCollection
                    {
                        ["riskalign.reference.set"] = set,
                        ["riskalign.reference.bytes_needed"] = bytes,
                        ["riskalign.reference.bytes_held"] = build.ReservedBytes,
                        ["riskalign.reference.budget_bytes"] = budgetBytes,
                    }));
                    return null;
                }
                build.ReservedBytes += bytes;
                lazy = new Lazy<(Tensor, Tensor)>(compute, LazyThreadSafetyMode.ExecutionAndPublication);
                build.Sets[key] = lazy;
            }
        }
        try
        {
            return lazy.Value;
        }
        catch
        {
            lock (build)
            {
                if (build.Sets.Remove(key)) build.ReservedBytes -= bytes;
            }
            throw;
        }
    }

    private sealed class BuildOutputs
    {
        public Dictionary<string, Lazy<(Tensor, Tensor)>> Sets { get; } = new(StringComparer.Ordinal);
        public long ReservedBytes { get; set; }
    }
}
