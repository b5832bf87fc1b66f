"""The 2-inch photo and the uploads: type, size, aspect, resizing; encrypted at rest, audited when viewed."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from skillcert.core.errors import RuleViolation
from skillcert.core.models import AuditEvent
from skillcert.enrollment import photos
from skillcert.enrollment.models import ApplicationDocument
from skillcert.enrollment.services import applications as services
from tests.enrollment.test_apply import PDF, ApplyCase, jpeg


def image_bytes(size: tuple[int, int], fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 100, 50, 128) if mode == "RGBA" else (200, 100, 50)).save(out, format=fmt)
    return out.getvalue()


class TestPreparePhoto:
    @pytest.mark.parametrize(
        ("size", "fmt"), [((413, 579), "JPEG"), ((1050, 1470), "PNG"), ((600, 800), "JPEG")]
    )
    def test_resized_to_2_inch_at_300_dpi(self, size: tuple[int, int], fmt: str) -> None:
        out = photos.prepare_photo(image_bytes(size, fmt))
        image = Image.open(io.BytesIO(out))
        assert image.format == "JPEG"
        assert image.size == (413, 579)
        assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)

    def test_transparent_png_gets_a_white_background(self) -> None:
        out = photos.prepare_photo(image_bytes((413, 579), "PNG", "RGBA"))
        assert Image.open(io.BytesIO(out)).mode == "RGB"

    def test_exif_is_dropped(self) -> None:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        buf = io.BytesIO()
        Image.new("RGB", (413, 579)).save(buf, format="JPEG", exif=exif)
        out = photos.prepare_photo(buf.getvalue())
        assert b"PhoneMaker" not in out

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"GIF89a" + b"\0" * 100, "JPG 或 PNG"),
            (PDF, "JPG 或 PNG"),
            (b"", "为空"),
            (b"\xff\xd8\xff\xe0garbage", "无法识别"),
        ],
    )
    def test_bad_type(self, data: bytes, message: str) -> None:
        with pytest.raises(photos.UploadError, match=message):
            photos.prepare_photo(data)

    def test_too_big(self) -> None:
        with pytest.raises(photos.UploadError, match="超过 5 MB"):
            photos.prepare_photo(b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))

    @pytest.mark.parametrize("size", [(579, 413), (600, 600), (300, 600)])
    def test_wrong_aspect(self, size: tuple[int, int]) -> None:
        with pytest.raises(photos.UploadError, match="宽高比"):
            photos.prepare_photo(image_bytes(size))

    def test_too_small(self) -> None:
        with pytest.raises(photos.UploadError, match="过小"):
            photos.prepare_photo(image_bytes((100, 140)))

    def test_documents(self) -> None:
        assert photos.check_document(PDF) == "application/pdf"
        assert photos.check_document(jpeg()) == "image/jpeg"
        with pytest.raises(photos.UploadError, match="PDF、JPG 或 PNG"):
            photos.check_document(b"PK\x03\x04 a zip")
        with pytest.raises(photos.UploadError, match="超过 10 MB"):
            photos.check_document(PDF + b"\0" * (10 * 1024 * 1024))


class TestPhotoAndUploadsOnTheForm(ApplyCase):
    def test_bad_photo_is_reported_on_its_field_and_the_draft_kept(self) -> None:
        client = self.candidate()
        app = self.start(client)
        data = {**self.form_data(), "photo": SimpleUploadedFile("wide.jpg", image_bytes((800, 400)))}
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 422
        page = response.content.decode()
        assert "宽高比" in page and 'data-field="photo"' in page
        app.refresh_from_db()
        assert app.photo_enc is None

    def test_photo_is_stored_encrypted_and_served_resized(self) -> None:
        client = self.candidate()
        app = self.start(client)
        services.application_set_photo(
            actor=self.w.users["candidate"], application=app, data=image_bytes((826, 1158))
        )
        app.refresh_from_db()
        plain = app.photo_bytes()
        assert plain is not None and plain[:3] == b"\xff\xd8\xff"
        assert bytes(app.photo_enc)[:3] != b"\xff\xd8\xff" and plain not in bytes(app.photo_enc)
        response = client.get(reverse("enrollment:application_photo", args=[app.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(response.content)).size == (413, 579)
        assert "application.photo" in AuditEvent.objects.values_list("action", flat=True)

    def test_uploads_are_encrypted_at_rest_and_each_view_audited(self) -> None:
        client = self.candidate()
        app = self.start(client)
        secret = PDF + "身份证正反面".encode()
        doc = services.application_add_document(
            actor=self.w.users["candidate"],
            application=app,
            kind="id_card",
            filename="../../身份证.pdf",
            data=secret,
        )
        stored = ApplicationDocument.objects.get(pk=doc.pk)
        assert secret not in bytes(stored.data_enc) and b"%PDF" not in bytes(stored.data_enc)
        assert stored.filename == "身份证.pdf" and stored.size == len(secret)
        assert stored.data() == secret
        response = client.get(reverse("enrollment:document_download", args=[doc.pk]))
        assert response.status_code == 200 and response.content == secret
        assert response["Content-Type"] == "application/pdf"
        event = AuditEvent.objects.filter(action="application.document_view").get()
        assert event.object_id == str(doc.pk)

    def test_bad_upload_is_refused_on_its_field(self) -> None:
        client = self.candidate()
        app = self.start(client)
        data = {**self.form_data(), "doc_id_card": SimpleUploadedFile("id.docx", b"PK\x03\x04word")}
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 422
        assert 'data-field="doc_id_card"' in response.content.decode()
        assert not app.documents.exists()

    def test_documents_can_be_removed(self) -> None:
        client = self.candidate()
        app = self.complete(client)
        doc = app.documents.get(kind="id_card")
        data = {**self.form_data(), "remove_documents": [str(doc.pk)]}
        response = client.post(reverse("enrollment:application_edit", args=[app.pk]), data)
        assert response.status_code == 302
        assert not app.documents.filter(pk=doc.pk).exists()
        assert "application.document_remove" in AuditEvent.objects.values_list("action", flat=True)

    def test_service_error_names_the_field(self) -> None:
        app = self.start()
        with pytest.raises(RuleViolation) as caught:
            services.application_set_photo(actor=self.w.users["candidate"], application=app, data=b"nope")
        assert caught.value.field == "photo"
