def test_chinese_first_even_for_an_english_browser(client_for, handler_a):
    page = client_for(handler_a).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in page.content.decode() and "退出" in page.content.decode()


def test_english_when_the_user_picks_it(client_for, handler_a):
    client = client_for(handler_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html and "Units" in html and "Handler" in html
    assert "退出" not in html
