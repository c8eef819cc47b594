namespace RiskAlign.Framework.Tests;

/// <summary>
/// Tests that change libtorch's process-wide intra-op thread count (the bag-of-words classifiers train and score with
/// one thread). Run alongside other tests, they would change the reduction order of a concurrent trial's float sums,
/// so exact-equality tests (same trial alone and in parallel) would see 1e-8 differences. xunit runs this collection
/// on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchThreadsCollection
{
    public const string Name = "Changes libtorch's thread count";
}
