from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.core.policy import SYSTEM
from xiaoneng.exemplars import services


def samples(ctx) -> dict:
    marker = ctx["marker"]
    exemplar = services.create_exemplar(
        actor=SYSTEM,
        title=f"{marker}典型案例",
        unit=ctx["county_a"],
        summary=f"{marker}简介",
        tags=f"{marker}标签",
        files=[SimpleUploadedFile(f"{marker}.txt", f"{marker} 佐证".encode())],
    )
    # A recommended case: the outsider may not promote it, nor see it.
    services.take_step(exemplar, "recommend", actor=SYSTEM)
    att = exemplar.attachments.get()
    return {
        "exemplars:exemplar_detail": {"pk": exemplar.pk},
        "exemplars:exemplar_edit": {"pk": exemplar.pk},
        "exemplars:exemplar_delete": {"pk": exemplar.pk},
        "exemplars:exemplar_step": {"pk": exemplar.pk, "action": "promote"},
        "exemplars:exemplar_publish": {"pk": exemplar.pk},
        "exemplars:attachment_download": {"pk": att.pk},
        "api-exemplar-detail": {"pk": exemplar.pk},
        "api-exemplar-transitions": {"pk": exemplar.pk},
    }
