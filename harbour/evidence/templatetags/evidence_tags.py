from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] in a template (labels of indicator families and the like)."""
    try:
        return mapping.get(key, key)
    except AttributeError:
        return key


@register.filter
def filesize(value):
    value = float(value or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return value
