using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarginGrid.Silo.Api;

/// <summary>The JSON conventions of the API: camelCase, decimals as strings, nulls written.</summary>
public static class GridJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new DecimalStringConverter());
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        return options;
    }
}
