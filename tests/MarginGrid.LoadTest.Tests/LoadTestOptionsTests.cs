namespace MarginGrid.LoadTest.Tests;

public sealed class LoadTestOptionsTests
{
    [Fact]
    public void Durable_options_are_read()
    {
        var options = LoadTestOptions.Parse(["--cluster", "durable", "--silos", "3", "--fills-per-second", "200", "--crash", "20", "--duration", "30"]);

        Assert.True(options.IsDurable);
        Assert.Equal(3, options.Silos);
        Assert.Equal(200, options.FillsPerSecond);
        Assert.Equal(20m, options.CrashPercent);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CrashWindow);
    }

    [Fact]
    public void Defaults_are_the_embedded_silo_without_trading()
    {
        var options = LoadTestOptions.Parse([]);

        Assert.Equal("embedded", options.Cluster);
        Assert.False(options.IsDurable);
        Assert.Equal(1, options.Silos);
        Assert.Equal(0, options.FillsPerSecond);
        Assert.Equal(0m, options.CrashPercent);
        Assert.Equal(TimeSpan.FromSeconds(60), options.CrashWindow);
    }

    [Fact]
    public void A_fast_crash_takes_its_own_window_but_never_outlasts_the_run()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), LoadTestOptions.Parse(["--crash", "20", "--crash-seconds", "5", "--duration", "60"]).CrashWindow);
        Assert.Equal(TimeSpan.FromSeconds(30), LoadTestOptions.Parse(["--crash", "20", "--crash-seconds", "90", "--duration", "30"]).CrashWindow);
    }

    [Fact]
    public void Attaching_takes_both_connection_strings()
    {
        var options = LoadTestOptions.Parse(["--cluster", "durable", "--ledger", "Host=127.0.0.1;Port=5432", "--redis", "127.0.0.1:6379"]);

        Assert.Equal("Host=127.0.0.1;Port=5432", options.Ledger);
        Assert.Equal("127.0.0.1:6379", options.Redis);
    }

    [Theory]
    [InlineData(new[] { "--cluster", "cloud" }, "--cluster is 'embedded' or 'durable' (was 'cloud')")]
    [InlineData(new[] { "--silos", "3" }, "--silos, --ledger and --redis need --cluster durable")]
    [InlineData(new[] { "--cluster", "durable", "--silos", "0" }, "--silos must be at least 1 (was 0)")]
    [InlineData(new[] { "--cluster", "durable", "--ledger", "Host=x" }, "--ledger and --redis go together")]
    [InlineData(new[] { "--cluster", "durable", "--redis", "127.0.0.1:1" }, "--ledger and --redis go together")]
    [InlineData(new[] { "--fills-per-second", "-5" }, "--fills-per-second must be at least 0 (was -5)")]
    [InlineData(new[] { "--fills-per-second", "many" }, "--fills-per-second takes a whole number (was 'many')")]
    [InlineData(new[] { "--crash", "100" }, "--crash is a fall in percent, in [0, 100) (was 100)")]
    [InlineData(new[] { "--crash", "-1" }, "--crash is a fall in percent, in [0, 100) (was -1)")]
    [InlineData(new[] { "--crash", "lots" }, "--crash takes a number (was 'lots')")]
    [InlineData(new[] { "--cluster", "durable", "--readers", "10" }, "--readers, --sse and --what-if measure the embedded silo's API")]
    [InlineData(new[] { "--crash-seconds", "0" }, "--crash-seconds must be at least 1 (was 0)")]
    [InlineData(new[] { "--accounts", "0" }, "--accounts must be at least 1 (was 0)")]
    [InlineData(new[] { "--fills", "5" }, "Unknown option(s): --fills.")]
    [InlineData(new[] { "--crash" }, "'--crash' has no value")]
    public void Bad_values_are_refused_with_what_is_wrong(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadTestOptions.Parse(args));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
