using MarginGrid.Silo.Api;
using MarginGrid.Silo.Api.OpenApi;
using MarginGrid.Silo.Auth;
using MarginGrid.Silo.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace MarginGrid.Silo.Hosting;

/// <summary>The HTTP API: JSON conventions, API-key auth with roles, problem documents, OpenAPI, endpoints.</summary>
public static class ApiSetup
{
    public static WebApplicationBuilder AddGridApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.ConfigureHttpJsonOptions(o => GridJson.Configure(o.SerializerOptions));
        builder.Services.AddOptions<ApiLimits>().BindConfiguration(ApiLimits.Section);
        builder.Services.AddSingleton<StreamSlots>();
        builder.Services.AddSingleton<ApiMetrics>();

        // Kestrel stops any body past the largest route limit; Body enforces each route's own limit.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiLimits>>((kestrel, limits) =>
            kestrel.Limits.MaxRequestBodySize = Math.Max(limits.Value.MaxBodyBytes, limits.Value.MaxLargeBodyBytes));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = StableCode);
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);

        // Only the embedded default may generate keys; a durable silo (or Auth:RequireKeys) must be given them.
        var durable = ClusterSettings.From(builder.Configuration).IsDurable;
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuthOptions>>();
            return new ApiKeyRegistry(options, mayGenerate: !durable && !options.Value.RequireKeys);
        });
        builder.Services.AddAuthentication(GridRoles.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(GridRoles.Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(GridRoles.AdminPolicy, p => p.RequireRole(GridRoles.Admin))
            .AddPolicy(GridRoles.ReadPolicy, p => p.RequireRole(GridRoles.Admin, GridRoles.Reader));
        builder.Services.AddOpenApi(o =>
        {
            // OpenAPI 3.0: what client generators read today (3.1's type arrays are not yet understood by all).
            o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0;

            // The grid's own API; Orleans' dashboard (its own routes and assets) is not part of the contract.
            o.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<ApiKeySecurity>();
            o.AddOperationTransformer<ResponseHeaders>();
            o.AddSchemaTransformer<DecimalStringSchema>();
            o.AddSchemaTransformer<ContractWordSchema>();
            o.AddSchemaTransformer<ProblemSchema>();
            o.AddSchemaTransformer<RequestExamples>();
        });
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }

    /// <summary>A problem the framework wrote (no route, wrong method, failed binding) gets a stable code too.</summary>
    private static void StableCode(ProblemDetailsContext context)
    {
        if (!context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            var code = Problems.FallbackCode(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            context.ProblemDetails.Extensions["code"] = code;
            context.HttpContext.Items[Problems.CodeItem] ??= code;
        }

        // A framework message may quote the request; keep it short.
        if (context.ProblemDetails.Detail is { } detail)
        {
            context.ProblemDetails.Detail = Problems.Short(detail);
        }
    }

    public static WebApplication MapGridApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiMetricsMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // The API's map is public on the embedded default; a durable deployment shows it to its own key holders only.
        var openApi = app.MapOpenApi();
        if (app.Services.GetRequiredService<ClusterSettings>().IsDurable)
        {
            openApi.RequireAuthorization(GridRoles.ReadPolicy);
        }

        app.MapOperationsEndpoints();
        app.MapMarketEndpoints();
        app.MapAccountEndpoints();
        app.MapWhatIfEndpoints();
        app.MapLiquidationEndpoints();
        app.MapFundEndpoints();
        app.MapLedgerEndpoints();

        // Orleans' own dashboard (grains, silos, call rates) for operators only.
        app.MapOrleansDashboard(GridRoles.DashboardPath).RequireAuthorization(GridRoles.AdminPolicy);
        return app;
    }
}
