using System.Globalization;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// What a fault test measured, written to the test output and appended to one file that <c>.ci/run</c>
/// prints (<c>MARGINGRID_CLUSTER_FIGURES</c>, else a file in the temp folder).
/// </summary>
public sealed class Figures(ITestOutputHelper output, string test)
{
    private static readonly Lock Gate = new();

    public static string FilePath => Environment.GetEnvironmentVariable("MARGINGRID_CLUSTER_FIGURES")
        ?? Path.Combine(Path.GetTempPath(), "margingrid-cluster-figures.txt");

    public void Add(string name, object value)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{test}: {name} = {value}");
        output.WriteLine(line);
        lock (Gate)
        {
            File.AppendAllText(FilePath, line + Environment.NewLine);
        }
    }

    public void Seconds(string name, TimeSpan value) => Add(name, string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s"));
}
