from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tasks.markdown import render_markdown
from tasks.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "difficulty", "updated_at"]
    list_filter = ["type", "difficulty"]
    search_fields = ["title"]
    show_full_result_count = False

    class Media:
        css = {"all": ["tasks/admin_preview.css"]}

    readonly_fields = ["content_preview", "solved_content_preview", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "description", "type", "difficulty"]}),
        (_("Exercise"), {"fields": ["content", "content_preview"]}),
        (_("Solution"), {"fields": ["solved_content", "solved_content_preview"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("Preview (as saved)"))
    def content_preview(self, task: Task) -> str:
        return _preview(task.content)

    @admin.display(description=_("Preview (as saved)"))
    def solved_content_preview(self, task: Task) -> str:
        return _preview(task.solved_content)


def _preview(source: str) -> str:
    """The Markdown as learners see it: rendered by the same sanitising function as the pages."""
    if not source:
        return gettext("Nothing yet: save the task to see its preview.")
    return format_html('<div class="markdown-preview">{}</div>', render_markdown(source))
