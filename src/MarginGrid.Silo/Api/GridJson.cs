using System.Text.Json;
using System.Text.Json.Serialization;

namespace MarginGrid.Silo.Api;

/// <summary>The JSON conventions of the API: camelCase, decimals and enums as strings, nulls written, a key at most once.</summary>
public static class GridJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Converters.Add(new DecimalStringConverter());

        // The contract's enums as the API has always written them: "buy", "cross", "healthy".
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

        // "Last wins" would let a body say two things at once; it is refused instead.
        options.AllowDuplicateProperties = false;
        return options;
    }
}
