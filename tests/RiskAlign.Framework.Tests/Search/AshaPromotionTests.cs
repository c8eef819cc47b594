namespace RiskAlign.Framework.Tests.Search;

public sealed class AshaPromotionTests
{
    [Fact]
    public void Crowding_distance_matches_the_hand_computed_values()
    {
        // Front A(1,1) B(2,3) C(4,4): ends infinite; B's neighbours span the whole front on both axes: (4−1)/3 + (4−1)/3 = 2.
        (double, double)[] points = [(1, 1), (2, 3), (4, 4)];
        var fronts = MultiObjectiveRank.Fronts(points);
        Assert.Equal([0, 0, 0], fronts);
        Assert.Equal([double.PositiveInfinity, 2, double.PositiveInfinity], MultiObjectiveRank.Crowding(points, fronts));
    }

    [Fact]
    public void Rungs_are_grace_period_times_powers_of_the_reduction_factor_below_the_total_steps()
    {
        Assert.Equal([10, 30, 90], AshaPromotion.Rungs(new AshaSettings(10, 3), 100));
        Assert.Equal([20, 40, 80], AshaPromotion.Rungs(new AshaSettings(20, 2), 160)); // 160 itself is the end, not a rung
    }

    [Fact]
    public void A_non_dominated_trial_can_stop_when_crowding_keeps_the_ends_of_the_front()
    {
        // Front A(1,1) B(2,3) C(4,4); D(2,0.5) is dominated by A, E(3,2) by B, F(5,3) by C. η = 3: ⌈6/3⌉ = 2 continue.
        // All three front members tie on rank; A and C have infinite crowding, B has 2 (above), so B stops.
        RungResult[] rung = [new(0, 1, 1), new(1, 2, 3), new(2, 4, 4), new(3, 2, 0.5), new(4, 3, 2), new(5, 5, 3)];
        Assert.Equal(new HashSet<int> { 0, 2 }, AshaPromotion.Continuing(rung, 3));
    }

    [Fact]
    public void The_second_front_fills_the_places_the_first_leaves_by_crowding()
    {
        // η = 2, 5 results: ⌈5/2⌉ = 3 continue. Front 0 is P(1,5) alone (it dominates all others).
        // Front 1: Q(2,1) R(3,2) S(4,4); its ends Q and S have infinite crowding, R (2 + ... finite) does not: P, Q, S continue.
        // T(5,0) is dominated by Q, R and S, so it is front 2.
        RungResult[] rung = [new(10, 3, 2), new(11, 1, 5), new(12, 2, 1), new(13, 5, 0), new(14, 4, 4)];
        Assert.Equal([1, 0, 1, 2, 1], MultiObjectiveRank.Fronts(rung.Select(r => (r.Drift, r.Reward)).ToList()));
        Assert.Equal(new HashSet<int> { 11, 12, 14 }, AshaPromotion.Continuing(rung, 2));
    }

    [Fact]
    public void A_diverged_trial_ranks_after_every_finite_one()
    {
        // η = 2, 2 results: 1 continues. NaN reward (diverged) never beats a finite result, however poor.
        RungResult[] rung = [new(0, double.NaN, double.NaN), new(1, 9, -9)];
        Assert.Equal(new HashSet<int> { 1 }, AshaPromotion.Continuing(rung, 2));
    }

    [Fact]
    public void Asynchronously_the_first_arrival_continues_and_a_later_dominated_one_stops()
    {
        // η = 2. Trial 0 alone at the rung: ⌈1/2⌉ = 1, it continues. Trials 1 (2,3) and 2 (3,2) follow; trial 2 is
        // dominated by trial 1 and by trial 0 (1,4): front 0 = {0}, then {1}, then {2}; ⌈3/2⌉ = 2, so trial 2 stops.
        var recorded = new List<RungResult> { new(0, 1, 4) };
        Assert.True(AshaPromotion.Continues(0, recorded, 2));
        recorded.Add(new(1, 2, 3));
        recorded.Add(new(2, 3, 2));
        Assert.False(AshaPromotion.Continues(2, recorded, 2));
        Assert.True(AshaPromotion.Continues(1, recorded, 2));
    }
}
