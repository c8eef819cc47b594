
namespace RiskAlign.Silo.Grains;

/// <inheritdoc cref="ISweepRegistryGrain"/>
public sealed class SweepRegistryGrain(
    [PersistentState("sweep-registry", GrainStorageName.RiskAlign)] IPersistentState<SweepRegistryState> state) : Grain, ISweepRegistryGrain
{
    public async Task Register(SweepEntry entry)
    {
        if (state.State.Sweeps.Any(s => s.SweepId == entry.SweepId)) return;
        state.State.Sweeps.Add(entry);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepEntry>> GetAll() => Task.FromResult<IReadOnlyList<SweepEntry>>([.. state.State.Sweeps]);
}
