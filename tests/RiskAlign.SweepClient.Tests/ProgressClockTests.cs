using RiskAlign.SweepClient.Running;
using Xunit;

namespace RiskAlign.SweepClient.Tests;

public sealed class ProgressClockTests
{
    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(59 * 60 + 59, "59:59")]
    [InlineData(3600 + 11 * 60 + 1, "1:11:01")]   // printed "11:01" before: the clock wrapped every hour
    [InlineData(26 * 3600 + 5, "26:00:05")]
    public void The_progress_clock_keeps_the_hours_of_a_long_sweep(int seconds, string shown) =>
        Assert.Equal(shown, ProgressView.Clock(TimeSpan.FromSeconds(seconds)));
}
