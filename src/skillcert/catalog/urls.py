"""URLs of the catalog app."""

from django.urls import path

from skillcert.catalog.views import occupations, rulesets, standards

app_name = "catalog"

urlpatterns = [
    # Occupations and job types
    path("", occupations.occupation_list, name="occupation_list"),
    path("occupations/<int:pk>/", occupations.occupation_detail, name="occupation_detail"),
    path("occupations/<int:pk>/job-types/new/", occupations.job_type_create, name="job_type_create"),
    path("job-types/<int:pk>/edit/", occupations.job_type_edit, name="job_type_edit"),
    # Standards and evaluation specifications
    path("standards/", standards.standard_list, name="standard_list"),
    path("occupations/<int:pk>/standards/new/", standards.standard_create, name="standard_create"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard_edit"),
    # Eligibility rule sets
    path("rule-sets/", rulesets.ruleset_list, name="ruleset_list"),
    path("rule-sets/new/", rulesets.ruleset_create, name="ruleset_create"),
    path("rule-sets/<int:pk>/", rulesets.ruleset_detail, name="ruleset_detail"),
    path("rule-sets/<int:pk>/edit/", rulesets.ruleset_edit, name="ruleset_edit"),
]
