using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>Every problem carries a stable <c>code</c> (<see cref="Problems"/>); the document says so, so a client can read it.</summary>
public sealed class ProblemSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type))
        {
            return Task.CompletedTask;
        }

        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Stable, machine-readable reason (docs/http-api.md lists them); the title and detail are for people.",
        };
        schema.Examples =
        [
            new JsonObject
            {
                ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
                ["title"] = "Refused by the margin rules",
                ["status"] = 422,
                ["detail"] = "Withdrawing 5000 USDT would leave the account below its initial margin.",
                ["code"] = "insufficient_margin",
            },
        ];
        return Task.CompletedTask;
    }
}
