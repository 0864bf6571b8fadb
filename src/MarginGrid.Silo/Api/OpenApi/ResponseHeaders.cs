using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>The headers the API sets on some answers: <c>Idempotent-Replayed</c> on a repeated command, <c>Retry-After</c> on 503.</summary>
public sealed class ResponseHeaders : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (operation.Responses is null)
        {
            return Task.CompletedTask;
        }

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotentCommand>().Any()
            && operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse success)
        {
            success.Headers ??= new Dictionary<string, IOpenApiHeader>();
            success.Headers["Idempotent-Replayed"] = new OpenApiHeader
            {
                Description = "\"true\" when this answer repeats the first one given for the same id; absent otherwise.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
            };
        }

        if (operation.Responses.TryGetValue("503", out var unavailable) && unavailable is OpenApiResponse retry)
        {
            retry.Headers ??= new Dictionary<string, IOpenApiHeader>();
            retry.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before sending the same command again, with the same id; nothing was applied.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            };
        }

        return Task.CompletedTask;
    }
}
