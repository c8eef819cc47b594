using System.Collections.Concurrent;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// In-process cache of expensive task builds (reference model, sampled pairs, trained reward classifiers), one per
/// key: trials of a sweep that name the same task settings build once and share the result. Concurrent callers of the
/// same key wait for one build; a build that throws is not cached, so the next caller tries again.
/// </summary>
internal sealed class TaskBuildCache<T> where T : class
{
    private readonly ConcurrentDictionary<string, Lazy<T>> _entries = new(StringComparer.Ordinal);

    /// <summary>The cached build of <paramref name="key"/>, building it with <paramref name="build"/> if missing.</summary>
    public T GetOrBuild(string key, Func<T> build)
    {
        var lazy = _entries.GetOrAdd(key, _ => new Lazy<T>(build, LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<T>>(key, lazy));
            throw;
        }
    }
}
