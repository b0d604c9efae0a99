"""The shared parts of every page in a browser (issue 12 items 11 and 12): the header, menu,
footer, messages, the form fields, the pager, the history table and the inbox, on the
login page, the inbox, the person form (empty and with errors), a person's page with its
history and the trash, at an office PC's and a phone's size: no horizontal overflow and no
WCAG 2 A/AA violation (core/tests/browser.py). And keyboard use: every control of a form is
reached with Tab and shows where the focus is."""

import pytest

from xiaoneng.accounts import services as accounts
from xiaoneng.conftest import PASSWORD, make_unit
from xiaoneng.core.policy import SYSTEM
from xiaoneng.core.tests.browser import OFFICE, PHONE, check_page
from xiaoneng.notifications.services import deliver
from xiaoneng.units.models import Level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [pytest.param(OFFICE, id="office"), pytest.param(PHONE, id="phone")]


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def screen(browser):
    contexts = []

    def _open(size):
        context = browser.new_context(viewport=size, bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_login_page_and_its_error(screen, live_server, handler_a, size):
    page = screen(size)
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page)
    page.locator("#id_username").fill(handler_a.username)
    page.locator("#id_password").fill("不对的密码")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()
    check_page(page)


@pytest.mark.parametrize("size", SIZES)
def test_the_inbox_with_messages_and_its_pager(screen, live_server, handler_a, size):
    for n in range(55):  # more than a page (50)
        deliver(
            [handler_a.pk],
            verb="urge",
            title=f"催办：第{n + 1}项整改任务请于本周内报送进展",
            url="/",
        )
    page = screen(size)
    log_in(page, live_server, handler_a)
    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("nav.pager").count() == 1
    check_page(page)
    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_load_state()
    check_page(page)  # with the message that says so


@pytest.mark.parametrize("size", SIZES)
def test_the_person_form_empty_and_refused(screen, live_server, admin_a, size):
    page = screen(size)
    log_in(page, live_server, admin_a)
    page.goto(f"{live_server.url}/accounts/users/new/")
    check_page(page)
    # A required field says so to a screen reader, not only with a red star.
    label = page.locator("label[for=id_username]")
    assert "（必填）" in label.inner_text() or "（必填）" in label.text_content()
    page.locator("#id_phone").fill("1381234")
    page.locator("form.card button[type=submit], main form button.primary").first.click()
    page.wait_for_load_state()
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("电话号码格式不对" in e for e in errors), errors
    check_page(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_persons_page_with_its_history_and_the_trash(screen, live_server, admin_a, size):
    person = accounts.add_user(
        actor=SYSTEM, username="xs_ls", unit=admin_a.unit, roles=["handler"], name="李四"
    )
    accounts.update_user(person, actor=SYSTEM, roles=["handler", "viewer"], phone="13812345678")
    gone = make_unit("530112901", "已撤并的碧鸡街道", Level.TOWNSHIP, admin_a.unit)
    gone.delete(actor=SYSTEM, comment="撤并")
    page = screen(size)
    log_in(page, live_server, admin_a)
    page.goto(f"{live_server.url}/accounts/users/{person.pk}/")
    history = page.locator("section.history").inner_text()
    assert "承办人、查看人员" in history and "••" not in history
    check_page(page)
    page.goto(f"{live_server.url}/trash/")
    assert "已撤并的碧鸡街道" in page.locator("main").inner_text()
    check_page(page)


def test_the_menu_marks_one_page_and_the_language_switch_is_one_control(
    screen, live_server, province_supervisor
):
    page = screen(OFFICE)
    log_in(page, live_server, province_supervisor)
    page.goto(f"{live_server.url}/supervision/negative/")
    current = page.locator('#site-nav a[aria-current="page"]')
    assert current.count() == 1 and current.inner_text() == "负面清单"
    page.goto(f"{live_server.url}/")
    assert page.locator('#site-nav a[aria-current="page"]').all_inner_texts() == ["首页"]
    switch = page.locator("footer form.lang")
    assert switch.locator("select").count() == 1
    assert switch.locator("button").is_hidden()  # only without JavaScript (noscript)
    assert switch.locator("option").all_inner_texts() == ["简体中文", "English"]
    box = switch.bounding_box()
    assert box is not None and box["height"] <= 40  # one line, not a stacked form
    # Choosing a language switches at once, without inline script (the CSP forbids it).
    switch.locator("select").select_option("en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.locator("footer select").select_option("zh-hans")
    page.wait_for_function("document.documentElement.lang === 'zh-hans'")


def test_every_control_of_a_form_is_reached_by_keyboard_with_a_visible_focus(
    screen, live_server, admin_a
):
    page = screen(OFFICE)
    log_in(page, live_server, admin_a)
    page.goto(f"{live_server.url}/accounts/users/new/")
    controls = page.locator(
        "main form input:not([type=hidden]), main form select, main form textarea, main form button"
    )
    wanted = controls.count()
    assert wanted >= 5
    page.locator("main h1").click()
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => { const el = document.activeElement;
                 const s = getComputedStyle(el);
                 return {inMain: !!el.closest('main form'), key: el.name + ':' + (el.value || el.id),
                         ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""
        )
        if focus["inMain"]:
            assert focus["ring"], f"no visible focus on {focus['key']}"
            reached.add(focus["key"])
    assert len(reached) >= wanted - 1, reached  # (radio groups take one Tab stop)
