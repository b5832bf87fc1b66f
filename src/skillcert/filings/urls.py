"""URLs of the filings app (mounted at /filings/)."""

from django.urls import path

from skillcert.filings.views import adjustments, resources, scope

app_name = "filings"

urlpatterns = [
    path("", scope.index, name="index"),
    # Filing and scope
    path("enterprises/<int:pk>/", scope.enterprise_detail, name="enterprise"),
    path("enterprises/<int:pk>/file/", scope.filing_create_view, name="filing_create"),
    # Sites and equipment
    path("enterprises/<int:pk>/sites/", resources.site_list, name="sites"),
    path("enterprises/<int:pk>/sites/new/", resources.site_create, name="site_create"),
    path("sites/<int:pk>/edit/", resources.site_edit, name="site_edit"),
    path("sites/<int:pk>/equipment/new/", resources.equipment_create, name="equipment_create"),
    path("equipment/<int:pk>/edit/", resources.equipment_edit, name="equipment_edit"),
    path("equipment/<int:pk>/delete/", resources.equipment_delete, name="equipment_delete"),
    # Staff pool and relationships
    path("enterprises/<int:pk>/pool/", resources.pool_list, name="pool"),
    path("enterprises/<int:pk>/pool/new/", resources.pool_create, name="pool_create"),
    path("pool/<int:pk>/edit/", resources.pool_edit, name="pool_edit"),
    path("enterprises/<int:pk>/relationships/", resources.relationship_list, name="relationships"),
    path("relationships/<int:pk>/delete/", resources.relationship_delete, name="relationship_delete"),
    # Scope adjustments
    path("adjustments/", adjustments.adjustment_list, name="adjustment_list"),
    path("adjustments/new/", adjustments.adjustment_create, name="adjustment_create"),
    path("queue/", adjustments.adjustment_queue, name="queue"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment_detail"),
    path("adjustments/<int:pk>/reason/", adjustments.adjustment_reason, name="adjustment_reason"),
    path("adjustments/<int:pk>/additions/", adjustments.addition_create, name="addition_create"),
    path("adjustments/<int:pk>/removals/", adjustments.removal_create, name="removal_create"),
    path("adjustment-items/<int:pk>/delete/", adjustments.item_delete, name="item_delete"),
    path(
        "adjustments/<int:pk>/parent-filing/", adjustments.parent_filing_upload, name="parent_filing_upload"
    ),
    path(
        "adjustments/<int:pk>/parent-filing/file",
        adjustments.parent_filing_download,
        name="parent_filing_file",
    ),
    path("adjustments/<int:pk>/submit/", adjustments.adjustment_submit, name="adjustment_submit"),
    path("adjustments/<int:pk>/reopen/", adjustments.adjustment_reopen, name="adjustment_reopen"),
    path("adjustments/<int:pk>/return/", adjustments.adjustment_return, name="adjustment_return"),
    path("adjustments/<int:pk>/forward/", adjustments.adjustment_forward, name="adjustment_forward"),
    path("adjustments/<int:pk>/decide/", adjustments.adjustment_decide, name="adjustment_decide"),
    path("adjustments/<int:pk>/application.docx", adjustments.form_docx, name="form_docx"),
    path("adjustments/<int:pk>/application.pdf", adjustments.form_pdf, name="form_pdf"),
    path("adjustments/<int:pk>/inventory.xlsx", adjustments.inventory_xlsx, name="inventory_xlsx"),
    path("adjustments/<int:pk>/inventory.pdf", adjustments.inventory_pdf, name="inventory_pdf"),
]
