using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Provenance.Api.Verification.Pages;

/// <summary>
/// Renders Razor components to HTML on the server (static rendering: no circuit, no script). Razor encodes every
/// value it writes, so user strings cannot become markup. One renderer per render: a shared one would serialise all
/// pages on its dispatcher and keep every root component alive.
/// </summary>
/// <remarks>
/// The renderer's <see cref="HtmlEncoder"/> lets every Unicode letter through as itself (the markup-significant
/// characters &lt; &gt; &amp; " ' are still encoded): the default encoder would write each Urdu or Hindi letter as a
/// numeric character reference, six times the bytes on a slow connection.
/// </remarks>
public sealed class PageRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly IServiceProvider _services = new EncoderScope(services);

    /// <summary>Renders <typeparamref name="TComponent"/> with <paramref name="parameters"/>.</summary>
    public async Task<RenderedPage> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(_services, loggerFactory);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters));
            using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            output.WriteHtmlTo(writer); // ToHtmlString() would ignore the renderer's encoder
            return writer.ToString();
        });
        return RenderedPage.FromHtml(html);
    }

    /// <summary>The app's services, except that the renderer gets the page encoder.</summary>
    private sealed class EncoderScope(IServiceProvider inner) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(HtmlEncoder) ? Encoder : inner.GetService(serviceType);
    }
}
