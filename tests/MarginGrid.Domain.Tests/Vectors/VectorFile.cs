using System.Text.Json;

namespace MarginGrid.Domain.Tests.Vectors;

/// <summary>
/// The project's conformance cases (tests/data/margin-vectors.json, copied beside the test assembly), loaded once.
/// Each case has an id, a group, where its figures come from (origin, reference) and its data.
/// </summary>
public static class VectorFile
{
    public const string FileName = "margin-vectors.json";

    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", FileName))).RootElement.Clone());

    /// <summary>The groups that have tests; a group outside this list would be cases nobody checks.</summary>
    public static readonly string[] KnownGroups =
        ["risk-brackets", "liquidation-price", "fills", "funding", "liquidation-waterfall", "auto-deleverage"];

    public static JsonElement Document => Root.Value;

    public static IEnumerable<JsonElement> Cases => Root.Value.GetProperty("cases").EnumerateArray();

    /// <summary>The data of one case.</summary>
    public static JsonElement Case(string group, string id) =>
        Cases.Single(c => c.GetProperty("group").GetString() == group && c.GetProperty("id").GetString() == id).GetProperty("data");

    /// <summary>One row per case id of a group: a new case in the file is a new test.</summary>
    public static TheoryData<string> Ids(string group)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases.Where(c => c.GetProperty("group").GetString() == group))
        {
            data.Add(c.GetProperty("id").GetString()!);
        }

        return data;
    }
}
