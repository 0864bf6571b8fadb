using MarginGrid.LoadTest.Durable;

namespace MarginGrid.LoadTest.Tests;

public sealed class ProcessStatusTests
{
    [Theory]
    [InlineData("VmHWM:\t 1666756 kB", 1_666_756L * 1024)]
    [InlineData("VmHWM:\t11000000 kB", 11_000_000L * 1024)]
    [InlineData("VmHWM:\t     512 kB", 512L * 1024)]
    public void The_peak_resident_set_is_read_whatever_the_padding(string line, long bytes)
    {
        Assert.Equal(bytes, ProcessStatus.PeakResidentBytes(["Name:\tdotnet", "VmPeak:\t 9999 kB", line, "VmRSS:\t 1 kB"]));
    }

    [Theory]
    [InlineData("VmRSS:\t 1000 kB")]
    [InlineData("VmHWM:\t kB")]
    [InlineData("VmHWM:\t 12x kB")]
    public void A_status_without_a_readable_peak_gives_zero(string line)
    {
        Assert.Equal(0, ProcessStatus.PeakResidentBytes(["Name:\tdotnet", line]));
    }

    [Fact]
    public void This_process_has_a_peak()
    {
        Assert.True(ProcessStatus.PeakResidentBytes(Environment.ProcessId) > 0);
    }
}
