using System.Text.Json;
using MarginGrid.Domain.Tests.Support;

namespace MarginGrid.Domain.Tests.Vectors;

/// <summary>The public conformance cases, loaded once from ../shared/spec/vectors.json.</summary>
public static class VectorFile
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(SpecFiles.Path("vectors.json"))).RootElement.Clone());

    public static readonly string[] KnownSections = ["about", "brackets", "liquidationPrice", "fills", "funding", "liquidation", "adl"];

    public static JsonElement Document => Root.Value;

    public static JsonElement Case(string section, string id) =>
        Root.Value.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>One row per case id of a section: a new case in the file is a new test.</summary>
    public static TheoryData<string> Ids(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Root.Value.GetProperty(section).EnumerateArray())
        {
            data.Add(c.GetProperty("id").GetString()!);
        }

        return data;
    }
}
