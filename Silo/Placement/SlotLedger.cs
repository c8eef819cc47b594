using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Placement;

/// <summary>
/// The slot board's bookkeeping, free of Orleans: per silo, its slots by kind, the trials its last report says hold
/// one, and the reservations granted since. A slot is free when neither held nor reserved. A reservation ends when
/// released, when the silo's report shows its trial gone after having shown it, or when no report confirms it within
/// <paramref name="unconfirmedLifetime"/> (its trial never reached the silo). So a lost release message or a lost
/// board leaks nothing for long: the silos' reports are the truth the board rebuilds itself from.
/// </summary>
internal sealed class SlotLedger(TimeSpan unconfirmedLifetime, TimeSpan silentSiloLifetime)
{
    private readonly Dictionary<string, SiloEntry> _silos = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Reservation> _reservations = new(StringComparer.Ordinal);

    public void Publish(SlotReport report, DateTime now)
    {
        if (_silos.TryGetValue(report.Silo, out var known) && known.Sequence >= report.Sequence) return;
        _silos[report.Silo] = new SiloEntry(report.GpuSlots, report.CpuSlots, report.Sequence, now, new Dictionary<string, SlotKind>(report.Busy));
        foreach (var (trial, reservation) in _reservations.Where(r => r.Value.Silo == report.Silo).ToList())
        {
            if (report.Busy.ContainsKey(trial)) reservation.Confirmed = true;
            else if (reservation.Confirmed || now - reservation.Granted > unconfirmedLifetime) _reservations.Remove(trial);
        }
    }

    /// <summary>Reserves a free slot for <paramref name="trial"/>: the first of <paramref name="kinds"/> that any live
    /// silo has free, on the silo with most of that kind free (ties by address). Null when the cluster has none.</summary>
    public SlotGrant? Claim(string trial, IReadOnlyList<SlotKind> kinds, Func<string, bool> isLive, DateTime now)
    {
        _reservations.Remove(trial); // a new attempt of the trial replaces the old reservation
        Prune(isLive, now);
        foreach (var kind in kinds)
        {
            var best = _silos.Keys
                .Select(silo => (Silo: silo, Free: Free(silo, kind)))
                .Where(s => s.Free > 0)
                .OrderByDescending(s => s.Free).ThenBy(s => s.Silo, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best.Silo is null) continue;
            _reservations[trial] = new Reservation(best.Silo, kind, now);
            return new SlotGrant(best.Silo, kind);
        }
        return null;
    }

    /// <summary>The trial ended or went elsewhere: its reservation and its hold (until the silo's next report) end.</summary>
    public void Release(string trial)
    {
        _reservations.Remove(trial);
        foreach (var entry in _silos.Values) entry.Busy.Remove(trial);
    }

    public IReadOnlyList<SiloSlots> Snapshot(Func<string, bool> isLive, DateTime now)
    {
        Prune(isLive, now);
        return [.. _silos.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            new SiloSlots(s.Key, s.Value.GpuSlots, s.Value.CpuSlots, Free(s.Key, SlotKind.Gpu), Free(s.Key, SlotKind.Cpu)))];
    }

    private void Prune(Func<string, bool> isLive, DateTime now)
    {
        foreach (var (silo, entry) in _silos.ToList())
        {
            if (isLive(silo) && now - entry.Seen <= silentSiloLifetime) continue;
            _silos.Remove(silo);
            foreach (var trial in _reservations.Where(r => r.Value.Silo == silo).Select(r => r.Key).ToList()) _reservations.Remove(trial);
        }
    }

    private int Free(string silo, SlotKind kind)
    {
        var entry = _silos[silo];
        int total = kind == SlotKind.Gpu ? entry.GpuSlots : entry.CpuSlots;
        int held = entry.Busy.Count(b => b.Value == kind);
        int reserved = _reservations.Count(r => r.Value.Silo == silo && r.Value.Kind == kind && !entry.Busy.ContainsKey(r.Key));
        return total - held - reserved;
    }

    private sealed record SiloEntry(int GpuSlots, int CpuSlots, long Sequence, DateTime Seen, Dictionary<string, SlotKind> Busy);

    private sealed record Reservation(string Silo, SlotKind Kind, DateTime Granted)
    {
        public bool Confirmed { get; set; }
    }
}
