using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>
/// The contract's enums (side, margin mode, level) travel as their lowercase words: the schema says so with
/// <c>type: string</c> beside the words, so that a generated client reads them as strings, not numbers.
/// </summary>
public sealed class ContractWordSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = type == context.JsonTypeInfo.Type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        }

        return Task.CompletedTask;
    }
}
