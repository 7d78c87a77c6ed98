"""`{% languagecheck form %}...{% endlanguagecheck %}`: check the form's text areas as the user types.

Wraps the form's fields in an htmx region that posts the text areas (and nothing else the form holds) to
/language/check/ half a second after typing stops, and shows the findings below them, each with a "Use this
wording" button (static/language/language.js). Any page can use it around any form with text areas:

    {% load language %}
    <form method="post">{% csrf_token %}
      {% languagecheck form %}{% include "includes/form.html" %}{% endlanguagecheck %}
      ...
    </form>

No inline script or style (the content security policy forbids both): htmx reads the attributes, and the
script is a module from our own origin. Without JavaScript the form works as before and findings are still
recorded when the record is saved.
"""

import json

from django import forms, template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

TRIGGER = "keyup changed delay:500ms target:textarea, input changed delay:500ms target:textarea"


@register.tag("languagecheck")
def languagecheck(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% languagecheck form %} takes the form")
    nodelist = parser.parse(("endlanguagecheck",))
    parser.delete_first_token()
    return LanguageCheckNode(parser.compile_filter(bits[1]), nodelist)


class LanguageCheckNode(template.Node):
    def __init__(self, form, nodelist):
        self.form = form
        self.nodelist = nodelist

    def render(self, context):
        inner = self.nodelist.render(context)
        form = self.form.resolve(context)
        fields = [b for b in form.visible_fields() if isinstance(b.field.widget, forms.Textarea)] if form else []
        if not fields:
            return inner
        labels = {f"language_label:{b.html_name}": str(b.label) for b in fields}
        params = ",".join(["csrfmiddlewaretoken", *(b.html_name for b in fields), *labels])
        trigger = f"load, {TRIGGER}" if any(b.value() for b in fields) else TRIGGER
        return format_html(
            '<div class="harbour-language-check" data-language-check hx-post="{url}" hx-trigger="{trigger}" '
            'hx-target="find [data-language-findings]" hx-swap="innerHTML" hx-sync="this:replace" '
            'hx-params="{params}" hx-vals="{vals}">{inner}'
            '<div data-language-findings aria-live="polite"></div>'
            '<p class="govuk-visually-hidden" data-language-status role="status"></p></div>'
            '<script type="module" src="{script}"></script>',
            url=reverse("language:check"),
            trigger=trigger,
            params=params,
            vals=json.dumps(labels),
            inner=inner,
            script=static("language/language.js"),
        )
