from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def fact_label(label, medium):
    """A fact's label ("Zeitraum:"). Styled on the web; plain text in the PDF, where each extra inline
    box costs WeasyPrint layout time (about a quarter second for the demo report's ~550 labels)."""
    if medium == "pdf":
        return f"{label}:"
    return format_html('<span class="fact-label">{}:</span>', label)
