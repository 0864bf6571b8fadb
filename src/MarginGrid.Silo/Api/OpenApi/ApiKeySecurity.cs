using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>
/// The document's header: title, how to authenticate (the <c>X-Api-Key</c> header), and no server address, so
/// that the document is the same wherever it is served and a client is given its base address.
/// </summary>
public sealed class ApiKeySecurity : IOpenApiDocumentTransformer
{
    public const string SchemeName = "ApiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info = new OpenApiInfo
        {
            Title = "MarginGrid HTTP API",
            Version = "v1",
            Description = "Live margin, liquidations and the ledger of a MarginGrid cluster. Money is always a decimal string; " +
                "errors are application/problem+json with a stable 'code'. docs/http-api.md describes every route.",
        };
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            Name = "X-Api-Key",
            In = ParameterLocation.Header,
            Description = "An admin, reader or account key (Auth:ApiKeys).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
