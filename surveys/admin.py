from django.contrib import admin

from surveys.models import Campaign, Choice, Question, Response


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("position", "theme", "text", "kind", "required", "scale_max", "satisfied_from")
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_on", "ends_on", "active")
    list_filter = ("active",)
    filter_horizontal = ("units",)
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "campaign", "theme", "kind", "required")
    list_filter = ("campaign", "theme", "kind")
    inlines = [ChoiceInline]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    # Answers are what people said: read them, never edit them.
    list_display = ("pk", "campaign", "unit", "channel", "submitted_at")
    list_filter = ("campaign", "channel")
    readonly_fields = ("campaign", "unit", "dossier", "account", "channel", "submitted_at")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
