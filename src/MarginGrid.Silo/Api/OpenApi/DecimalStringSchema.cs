using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>
/// Describes money as the API sends and reads it: a decimal string (<see cref="DecimalStringConverter"/>), never a
/// JSON number, so that a generated client keeps every digit.
/// </summary>
public sealed class DecimalStringSchema : IOpenApiSchemaTransformer
{
    public const string Pattern = @"^-?[0-9]+(\.[0-9]+)?$";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(decimal) && type != typeof(decimal?))
        {
            return Task.CompletedTask;
        }

        schema.Type = type == typeof(decimal?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        schema.Format = "decimal";
        schema.Pattern = Pattern;
        schema.Examples ??= [JsonValue.Create("30000.5")];
        return Task.CompletedTask;
    }
}
