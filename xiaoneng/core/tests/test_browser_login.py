import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_logs_in_sees_home_and_logs_out(logged_in_page, live_server, handler_a, tmp_path):
    page = logged_in_page(handler_a)
    assert page.get_by_test_id("whoami").inner_text() == "周承办"
    header = page.locator("header").inner_text()
    assert "西山区" in header and "承办人" in header
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_it_shows_a_clear_message_for_a_wrong_password(page, live_server, handler_a):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(handler_a.username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.get_by_role("alert").inner_text()


def test_the_menu_fits_a_phone(browser, live_server, handler_a):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(handler_a.username)
    from xiaoneng.conftest import PASSWORD

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    # No horizontal scrolling on a 360-px screen; the menu opens from its button.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    menu_link = page.locator("#site-nav a", has_text="单位")
    expect(menu_link).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(menu_link).to_be_visible()
    context.close()


def test_the_api_docs_render_offline_under_the_csp(logged_in_page, live_server, handler_a):
    page = logged_in_page(handler_a)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "request",
        lambda r: problems.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("/api/units/").first).to_be_visible()
    assert problems == []
