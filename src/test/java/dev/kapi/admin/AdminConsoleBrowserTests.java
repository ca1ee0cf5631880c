package dev.kapi.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.plans.Credits;

import dev.kapi.support.Chromium;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console in a real browser: Debian's headless Chromium, driven through its
 * ChromeDriver, against the application on its random port. Each test signs in afresh
 * (tokens live in the page's memory only) and saves a screenshot of the page it checked
 * under {@code target/screenshots}.
 */
class AdminConsoleBrowserTests extends IntegrationTest {

    private static Chromium chromium;

    private static ChromeDriver browser;

    private static WebDriverWait wait;

    @Autowired
    private AccountAdministration accounts;

    @Autowired
    private Credits credits;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository oauthClients;

    @Autowired
    private org.springframework.security.crypto.password.PasswordEncoder clientSecrets;

    private String admin;

    /** The same admin over the API, for setting up and checking what the browser did. */
    private RestTestClient adminApi;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start("tr-TR", 1440, 1000);
        browser = chromium.driver();
        wait = chromium.waiting();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void signInAsANewAdmin() {
        chromium.forgetConsole(); // what earlier tests left in the
                                  // console is theirs
        // Each test is another client to the rate limits (ten sign-ins a minute per
        // address), as for the API tests.
        chromium.comeFrom(randomIp());
        admin = registerAdmin();
        adminApi = as(login(admin));
        signInThroughTheForm(admin);
        page("dashboard");
    }

    @Test
    void signInWhenAdminThenTheDashboardDrawsItsChartsAndFigures() {
        // given: three users who spent credits
        String marker = UUID.randomUUID().toString().substring(0, 6);
        List<String> names = List.of("Ayşe", "Mehmet", "Zeynep");
        for (int i = 0; i < names.size(); i++) {
            long accountId = accounts.byPublicId(createUser("spender-" + i + "-" + marker, names.get(i), "Harcar"))
                .orElseThrow()
                .id();
            credits.load(accountId, 10_000_000, "test", null);
            credits.commit(credits.reserve(accountId, 1_000_000L * (i + 1), "test").id());
        }

        // when
        one("[data-page=dashboard] form button[type=submit]").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=usage]"),
                "Zeynep Harcar"));

        // then: seven days of sign-ups and logins, two bars a day; a bar per user who
        // spent
        assertThat(all("svg[data-chart=per-day] rect.bar")).hasSize(14);
        assertThat(all("svg[data-chart=per-minute], svg[data-chart=error-rate], svg[data-chart=usage]")).hasSize(3);
        assertThat(Long.parseLong(text("[data-figure=sign-ups] strong").replaceAll("\\D", ""))).isPositive();
        assertThat(Long.parseLong(text("[data-figure=active-now] strong").replaceAll("\\D", ""))).isPositive();
        assertThat(all("svg[data-chart=usage] rect.bar")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(text("table[data-table=usage]")).contains("Ayşe Harcar", "Mehmet Harcar");
        assertThat(all("table[data-table=endpoints] tbody tr")).isNotEmpty();
        chromium.screenshot("dashboard");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void signInWhenNotAnAdminThenRefusedWithAMessage() {
        // given
        String user = registerUser();
        one("[data-action=sign-out]").click();

        // when
        signInThroughTheForm(user);

        // then
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=alert]"),
                "yalnızca yöneticiler"));
        assertThat(all("[data-page=dashboard]")).isEmpty();
    }

    @Test
    void usersWhenSearchedThenFoundAndTheAdminDeactivatesLoadsCreditsAndEndsASession() {
        // given
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String username = "konsol-" + marker;
        String userId = createUser(username, "Şükrü", "Çiçekçi");
        createUser("ayse-" + marker, "Ayşe", "Çiçekçi");
        createUser("oguz-" + marker, "Oğuz", "Çiçekçi");
        String packageName = "Altın " + marker;
        long packageId = createPackage(packageName);
        login(username);

        // when: search, ignoring Turkish accents
        navigate("#/users");
        page("users");
        WebElement search = one("form[data-form=user-search] input[name=search]");
        search.sendKeys("CICEKCI");
        one("form[data-form=user-search] button[type=submit]").click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table[data-table=users] tbody tr"), 3));
        assertThat(text("table[data-table=users] tbody")).contains("Şükrü Çiçekçi", "Ayşe Çiçekçi", "Oğuz Çiçekçi");
        chromium.screenshot("users");
        one("a[data-user='" + username + "']").click();
        page("user");

        // and: load credits
        one("form[data-form=load-credits] input[name=amount]").sendKeys("250");
        one("form[data-form=load-credits] input[name=note]").sendKeys("kampanya");
        one("form[data-form=load-credits] button[type=submit]").click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-figure=credit] strong"), "250"));
        assertThat(text("table[data-table=ledger] tbody")).contains("kampanya");

        // and: give a package
        new Select(one("form[data-form=give-package] select")).selectByValue(Long.toString(packageId));
        one("form[data-form=give-package] button[type=submit]").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=packages]"),
                packageName));
        assertThat(text("table[data-table=packages]")).contains("moe_gatherer");

        // and: end the user's session
        assertThat(all("table[data-table=sessions] tbody tr")).hasSize(1);
        one("[data-action=end-session]").click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.empty[data-table=sessions]")));
        chromium.screenshot("user");

        // and: deactivate
        one("[data-action=deactivate]").click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".status-line"),
                "Kullanıcı deaktif edildi"));

        // then: the API agrees
        adminApi.get()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.isActive")
            .isEqualTo(false)
            .jsonPath("$.data.credit")
            .isEqualTo(250);
        adminApi.get()
            .uri("/api/admin/users/{id}/packages", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.data[0].packageName")
            .isEqualTo(packageName);
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", username, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized();
        chromium.assertNoConsoleErrors();
    }

    @Test
    void usersWhenCreatedEditedAndDeletedInTheConsoleThenTheApiAgrees() {
        // given
        String username = "yeni-" + UUID.randomUUID().toString().substring(0, 8);
        navigate("#/users");
        page("users");
        one("[data-action=new-user]").click();
        WebElement create = one("form[data-form=create-user]");

        // when: create
        create.findElement(By.name("username")).sendKeys(username);
        create.findElement(By.name("password")).sendKeys(PASSWORD);
        create.findElement(By.name("name")).sendKeys("Yeni");
        create.findElement(By.name("surname")).sendKeys("Kullanıcı");
        create.findElement(By.name("email")).sendKeys(username + "@example.com");
        new Select(create.findElement(By.name("userTypeName"))).selectByValue("editor");
        create.findElement(By.cssSelector("button[type=submit]")).click();
        page("user");
        String userId = one("[data-page=user]").getAttribute("data-user-id");

        // and: edit
        WebElement surname = one("form[data-form=edit-user] input[name=surname]");
        surname.clear();
        surname.sendKeys("Düzenlendi");
        one("form[data-form=edit-user] button[type=submit]").click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-page=user] h1"),
                "Düzenlendi"));
        adminApi.get()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.username")
            .isEqualTo(username)
            .jsonPath("$.data.surname")
            .isEqualTo("Düzenlendi")
            .jsonPath("$.data.userType.name")
            .isEqualTo("editor");

        // and: delete for good
        one("[data-action=delete]").click();
        browser.switchTo().alert().accept();
        page("users");

        // then
        adminApi.get().uri("/api/admin/users/{id}", userId).exchange().expectStatus().isNotFound();
    }

    @Test
    void usersWhenANameHoldsMarkupThenItIsShownAsTextAndNeverRuns() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String markup = "<img src=x onerror=\"document.title='pwned'\">";
        createUser("markup-" + marker, markup, "Soyad" + marker);

        navigate("#/users");
        page("users");
        one("form[data-form=user-search] input[name=search]").sendKeys("Soyad" + marker);
        one("form[data-form=user-search] button[type=submit]").click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table[data-table=users] tbody tr"), 1));

        assertThat(text("table[data-table=users] tbody tr")).contains(markup + " Soyad" + marker);
        assertThat(all("table[data-table=users] img")).isEmpty();
        assertThat(browser.getTitle()).isNotEqualTo("pwned");
    }

    @Test
    void usersWhenMoreThanAPageThenTheCursorPagerWalksThem() {
        // given: 30 users with one surname, the page shows 25
        String surname = "Sayfa" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 30; i++) {
            createUser(surname.toLowerCase() + "-" + i, "Kişi" + i, surname);
        }
        navigate("#/users");
        page("users");
        one("form[data-form=user-search] input[name=search]").sendKeys(surname);
        one("form[data-form=user-search] button[type=submit]").click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table[data-table=users] tbody tr"), 25));

        // when
        one("[data-action=next-page]").click();

        // then
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table[data-table=users] tbody tr"), 5));
        assertThat(all("[data-action=next-page]")).isEmpty();
        assertThat(text("table[data-table=users] tbody")).contains("Kişi29 " + surname).doesNotContain("Kişi0 ");
    }

    @Test
    void inboxWhenAdminAnswersThenTheRequestIsAnsweredAndTheUserMailed() {
        // given
        String email = registerUser();
        String subject = "Kredi yüklenmedi " + UUID.randomUUID().toString().substring(0, 8);
        as(login(email)).post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("subject", subject, "body", "Ödeme yaptım ama kredi görünmüyor."))
            .exchange()
            .expectStatus()
            .isCreated();

        // when
        navigate("#/inbox");
        page("inbox");
        chromium.screenshot("inbox");
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText(subject))).click();
        page("request");
        one("form[data-form=answer] textarea").sendKeys("100 kredi yüklendi.");
        one("form[data-form=answer] button[type=submit]").click();

        // then
        wait.until(ExpectedConditions
            .presenceOfElementLocated(By.cssSelector("[data-page=request][data-status=answered]")));
        assertThat(text("ol.answers")).contains("100 kredi yüklendi.");
        chromium.screenshot("request");
        assertThat(textOf(awaitMailTo(email, 2))).contains("100 kredi yüklendi.");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void auditQueuesAndBotsWhenOpenedThenEveryUsersRowsShow() {
        // given: a user with a message queue and a paper bot
        String marker = UUID.randomUUID().toString().substring(0, 6);
        TestUser user = newUser();
        RestTestClient owner = as(user.token());
        long accountId = user.id();
        credits.load(accountId, 1_000, "test", null);
        long sender = id(post(owner, "/api/messaging/senders", Map.of("name", "Ana hat", "phone", "0532 000 00 01")));
        long customer = id(post(owner, "/api/messaging/customers", Map.of("phone", "0555 111 22 33", "name", "Ali")));
        long draft = id(post(owner, "/api/messaging/drafts", Map.of("name", "Kampanya", "body", "Merhaba {{name}}")));
        post(owner, "/api/messaging/queues", Map.of("name", "Kasım kampanyası " + marker, "draft_id", draft,
                "sender_ids", List.of(sender), "group_ids", List.of(), "customer_ids", List.of(customer)));
        post(owner, "/api/trading/bots", Map.of("name", "Eşik botu " + marker, "symbol", "BTCUSDT", "quote_amount", 100,
                "strategy", "simple", "params", Map.of("buy_below", 60000, "sell_above", 65000)));

        // then
        navigate("#/audit");
        page("audit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-table=audit] tbody tr")));
        assertThat(text("table[data-table=audit]")).contains("login-succeeded");
        chromium.screenshot("audit");

        navigate("#/queues");
        page("queues");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=queues]"),
                "Kasım kampanyası " + marker));
        assertThat(all("table[data-table=queues] progress")).isNotEmpty();
        chromium.screenshot("queues");

        navigate("#/bots");
        page("bots");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=bots]"),
                "Eşik botu " + marker));
        assertThat(text("table[data-table=bots]")).contains("BTCUSDT", "simple");
        chromium.screenshot("bots");
        assertThat(all("[role=alert]")).isEmpty();
        chromium.assertNoConsoleErrors();
    }

    private static Map<String, Object> post(RestTestClient client, String path, Map<String, Object> body) {
        return client.post()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    @Test
    void clientsWhenRegisteredInTheConsoleThenTheSecretIsShownOnceRotatedAndTheClientDeleted() {
        navigate("#/clients");
        page("clients");
        WebElement form = one("form[data-form=create-client]");

        // when: an admin registers a confidential client
        form.findElement(By.name("client_name")).sendKeys("Konsol istemcisi");
        form.findElement(By.name("redirect_uris")).sendKeys("https://console-client.example.com/cb");
        form.findElement(By.cssSelector("input[name=grant_types][value=refresh_token]")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: the secret is shown this once, and it is the one Kapı checks
        String clientId = one("[data-secret-of]").getAttribute("data-secret-of");
        String secret = text("[data-secret]");
        assertThat(secret).startsWith("kapi_cs_");
        adminApi.get()
            .uri("/api/admin/oauth-clients/{id}", clientId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.client_name")
            .isEqualTo("Konsol istemcisi")
            .jsonPath("$.grant_types.length()")
            .isEqualTo(2)
            .jsonPath("$.client_secret")
            .doesNotExist();
        assertThat(clientSecrets.matches(secret, oauthClients.findByClientId(clientId).getClientSecret())).isTrue();
        assertThat(text("[data-table=clients]")).contains("Konsol istemcisi").doesNotContain(secret);

        // when: the secret is rotated
        one("[data-action=rotate-secret][data-client='" + clientId + "']").click();
        wait.until(driver -> !text("[data-secret]").equals(secret));
        String rotated = text("[data-secret]");
        assertThat(clientSecrets.matches(rotated, oauthClients.findByClientId(clientId).getClientSecret())).isTrue();
        assertThat(clientSecrets.matches(secret, oauthClients.findByClientId(clientId).getClientSecret())).isFalse();

        // and: the client is deleted
        one("[data-action=delete-client][data-client='" + clientId + "']").click();
        browser.switchTo().alert().accept();
        wait.until(driver -> all("[data-action=delete-client][data-client='" + clientId + "']").isEmpty());
        adminApi.get().uri("/api/admin/oauth-clients/{id}", clientId).exchange().expectStatus().isNotFound();
        chromium.assertNoConsoleErrors();
    }

    @Test
    void identityProvidersWhenAGitHubPresetIsAddedInTheConsoleThenListedWithoutItsSecretDisabledAndDeleted() {
        String alias = "gh-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "gh-secret-" + UUID.randomUUID();
        one("[data-nav=identityProviders]").click();
        page("identity-providers");
        WebElement form = one("form[data-form=identity-provider]");

        // when: an admin adds GitHub from its preset, typing the client secret
        new Select(form.findElement(By.name("preset"))).selectByValue("github");
        assertThat(form.findElement(By.name("issuer_uri")).isDisplayed()).isFalse();
        form.findElement(By.name("alias")).sendKeys(alias);
        form.findElement(By.name("client_id")).sendKeys("Iv1.console-client");
        form.findElement(By.name("client_secret")).sendKeys(secret);
        form.findElement(By.name("link_by_verified_email")).click();
        form.findElement(By.cssSelector("button[type=submit]")).click();

        // then: it is listed, preset filled, and its secret is nowhere in the page
        one("[data-action=disable-provider][data-alias='" + alias + "']");
        assertThat(text("[data-table=identity-providers]")).contains(alias, "github", "GitHub");
        assertThat(browser.getPageSource()).doesNotContain(secret);
        assertThat((String) browser.executeScript("return document.querySelector('[name=client_secret]').value"))
            .isEmpty();
        adminApi.get()
            .uri("/api/admin/identity-providers/{alias}", alias)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("github")
            .jsonPath("$.enabled")
            .isEqualTo(true)
            .jsonPath("$.link_by_verified_email")
            .isEqualTo(true)
            .jsonPath("$.client_secret")
            .doesNotExist();
        chromium.screenshot("identity-providers");
        String sealed = sealedSecretOf(alias);
        assertThat(sealed).doesNotContain(secret);

        // when: it is edited with a bad scope; then the API's 400 is shown and nothing
        // changes
        one("[data-action=edit-provider][data-alias='" + alias + "']").click();
        one("form[data-form=identity-provider][data-editing='" + alias + "']");
        assertThat(form.findElement(By.name("client_secret")).getAttribute("value")).isEmpty();
        form.findElement(By.name("display_name")).clear();
        form.findElement(By.name("display_name")).sendKeys("GitHub (şirket)");
        form.findElement(By.name("scopes")).clear();
        form.findElement(By.name("scopes")).sendKeys("read:user bad\\scope");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        one("[data-page=identity-providers] > .status-line .notice.error");
        assertThat(text("[data-table=identity-providers]")).doesNotContain("GitHub (şirket)");
        // the browser logs the refused request itself; that entry, and only that, is
        // expected
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
            .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .allSatisfy(entry -> assertThat(entry.getMessage()).contains("/api/admin/identity-providers/" + alias,
                    "status of 400"));

        // when: the scope is fixed and the secret field left empty; then saved, the
        // stored secret kept
        form.findElement(By.name("scopes")).clear();
        form.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(driver -> text("[data-table=identity-providers]").contains("GitHub (şirket)"));
        assertThat(sealedSecretOf(alias)).isEqualTo(sealed);

        // when: it is disabled; then the API agrees and the secret was kept
        one("[data-action=disable-provider][data-alias='" + alias + "']").click();
        one("[data-action=enable-provider][data-alias='" + alias + "']");
        adminApi.get()
            .uri("/api/admin/identity-providers/{alias}", alias)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.enabled")
            .isEqualTo(false)
            .jsonPath("$.link_by_verified_email")
            .isEqualTo(true);
        assertThat(sealedSecretOf(alias)).isEqualTo(sealed);
        assertThat(browser.getPageSource()).doesNotContain(secret);

        // and: it is deleted after the confirmation
        one("[data-action=delete-provider][data-alias='" + alias + "']").click();
        browser.switchTo().alert().accept();
        wait.until(driver -> all("[data-alias='" + alias + "']").isEmpty());
        adminApi.get().uri("/api/admin/identity-providers/{alias}", alias).exchange().expectStatus().isNotFound();
        chromium.assertNoConsoleErrors();
    }

    @Test
    void navigateWhenTheAccessTokenExpiredThenRefreshedWithoutTheAdminNoticing() {
        // given: the console's access token (30 minutes) has expired; its session lives
        // on
        clock.advance(Duration.ofMinutes(31));

        // when
        navigate("#/audit");

        // then
        page("audit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table[data-table=audit] tbody tr")));
        assertThat(all("[data-page=sign-in]")).isEmpty();
        assertThat(all("[role=alert]")).isEmpty();
    }

    @Test
    void navigateWhenTheSessionWasEndedElsewhereThenBackToSignInWithAMessage() {
        // given: the admin ends every other session, the console's among them
        adminApi.post().uri("/auth/reset-session-login").exchange().expectStatus().isNoContent();

        // when
        navigate("#/users");

        // then
        page("sign-in");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[data-page=sign-in] [role=alert]"), "Oturumunuz sona erdi"));
    }

    @Test
    void languageWhenSwitchedThenTheConsoleSpeaksEnglish() {
        assertThat(text("[data-nav=users]")).isEqualTo("Kullanıcılar");

        one("[data-action=language]").click();

        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-nav=users]"), "Users"));
        assertThat(text("[data-page=dashboard] h1")).isEqualTo("Dashboard");
        one("[data-action=language]").click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-nav=users]"), "Kullanıcılar"));
    }

    @Test
    void frontDoorWhenOpenedThenItLinksTheConsoleDocsAndHealthInBothLanguages() {
        chromium.forgetConsole();
        browser.get("http://localhost:" + port + "/?lang=tr");

        // then: Turkish, with the four links
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1"), "Kapı çalışıyor"));
        assertThat(one("a[data-link=admin]").getAttribute("href")).endsWith("/admin/");
        assertThat(one("a[data-link=api-docs]").getAttribute("href")).endsWith("/swagger-ui.html");
        assertThat(one("a[data-link=health]").getAttribute("href")).endsWith("/actuator/health");
        // the stylesheet applied (no inline style is allowed by the page's policy)
        assertThat(one("main").getCssValue("max-width")).isNotEqualTo("none");
        chromium.screenshot("front-door");

        // when: switched to English
        one("a[data-link=language]").click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("h1"), "Kapı is running"));
        assertThat(text("a[data-link=admin]")).isEqualTo("Admin console");

        // and: the console link leads to the console's sign-in
        one("a[data-link=admin]").click();
        page("sign-in");
        chromium.assertNoConsoleErrors();
    }

    @Test
    void signInWhenAdminHasASecondFactorThenTheCodeIsAskedAndAUsersFactorsAreShownAndRemoved() {
        // given: an admin and a user, both with TOTP on
        String secondAdmin = registerAdmin();
        String adminSecret = enrolTotp(login(secondAdmin));
        String username = "iki-adim-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = createUser(username, "Defne", "Koruyan");
        enrolTotp(login(username));
        one("[data-action=sign-out]").click();
        clock.advance(Duration.ofSeconds(30));

        // when: the admin signs in, first with a wrong code
        signInThroughTheForm(secondAdmin);
        WebElement step = one("[data-page=second-factor]");
        String code = Totp.code(adminSecret, clock.instant(), 0);
        step.findElement(By.name("code")).sendKeys(code.equals("000000") ? "000001" : "000000");
        step.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".status-line"), "Kod yanlış"));
        chromium.screenshot("second-factor");
        chromium.forgetConsole(); // the refused code's 400, which the
                                  // page showed
        WebElement input = one("[data-page=second-factor] input[name=code]");
        input.clear();
        input.sendKeys(code);
        one("[data-page=second-factor] button[type=submit]").click();
        page("dashboard");

        // then: the user's page shows the factor, and the admin removes it
        navigate("#/users/" + userId);
        page("user");
        assertThat(text("[data-section=factors]")).contains("Evet");
        assertThat(text("[data-figure=recovery-codes-left]")).isEqualTo("10");
        chromium.screenshot("user-factors");
        one("[data-action=remove-factors]").click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".status-line"),
                "İkinci doğrulama yöntemleri kaldırıldı"));
        assertThat(text("[data-section=factors]")).contains("Hayır");
        assertThat(all("[data-action=remove-factors]")).isEmpty();
        assertPasswordAloneSignsIn(username);
        chromium.assertNoConsoleErrors();
    }

    @Test
    void passkeyWhenRegisteredInTheConsoleThenItIsTheSecondFactorAndSignsInAlone() {
        VirtualAuthenticator authenticator = browser.addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                    .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                    .setHasResidentKey(true)
                    .setHasUserVerification(true)
                    .setIsUserVerified(true)
                    .setIsUserConsenting(true));
        long adminId = id(adminApi.get()
            .uri("/users/me")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody());
        try {
            // when: the admin adds a passkey on its own page
            navigate("#/account");
            page("account");
            one("form[data-form=add-passkey] input[name=label]").sendKeys("Dizüstü");
            one("form[data-form=add-passkey] button[type=submit]").click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=passkeys]"),
                    "Dizüstü"));
            chromium.screenshot("passkeys");
            assertThat(authenticator.getCredentials()).hasSize(1);
            adminApi.get()
                .uri("/users/me/mfa")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.methods")
                .isEqualTo(List.of("passkey"))
                .jsonPath("$.passkeys[0].label")
                .isEqualTo("Dizüstü");

            // then: the password alone no longer signs in; the passkey is asked as the
            // second factor
            one("[data-action=sign-out]").click();
            signInThroughTheForm(admin);
            one("[data-page=second-factor] [data-action=passkey-second-factor]").click();
            page("dashboard");

            // and: the passkey alone signs in (a discoverable credential names the
            // account)
            one("[data-action=sign-out]").click();
            one("[data-page=sign-in] [data-action=passkey-sign-in]").click();
            page("dashboard");
            assertThat(text("header .who")).isEqualTo(admin);
            adminApi.get()
                .uri("/api/admin/audit?user={id}&type=login-succeeded", adminId)
                .exchange()
                .expectBody()
                .jsonPath("$.data[0].details")
                .value(String.class, details -> assertThat(details).contains("method=passkey"))
                .jsonPath("$.data[1].details")
                .value(String.class, details -> assertThat(details).contains("method=passkey"));
            chromium.assertNoConsoleErrors();
        }
        finally {
            browser.removeVirtualAuthenticator(authenticator);
        }
    }

    @Test
    void removeFactorsWhenTheSignInIsOlderThanFiveMinutesThenTheConsoleAsksForThePasswordAndGoesOn() {
        // given: a user with TOTP, and an admin whose sign-in is six minutes old
        String username = "adim-" + UUID.randomUUID().toString().substring(0, 8);
        String userId = createUser(username, "Ece", "Yılmaz");
        enrolTotp(login(username));
        clock.advance(Duration.ofMinutes(6));
        navigate("#/users/" + userId);
        page("user");

        // when: the admin removes the user's factors, the console asks who it is; a wrong
        // password first
        one("[data-action=remove-factors]").click();
        browser.switchTo().alert().accept();
        WebElement dialog = one("dialog[data-dialog=reauthenticate]");
        dialog.findElement(By.name("proof")).sendKeys("not-the-password");
        dialog.findElement(By.cssSelector("button[type=submit]")).click();
        one("dialog[data-dialog=reauthenticate] .status-line .error");
        chromium.screenshot("reauthenticate");
        one("dialog[data-dialog=reauthenticate] input[name=proof]").sendKeys(PASSWORD);
        one("dialog[data-dialog=reauthenticate] button[type=submit]").click();

        // then: the change went through after the proof, without signing in again
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".status-line"),
                "İkinci doğrulama yöntemleri kaldırıldı"));
        assertThat(all("dialog[data-dialog=reauthenticate]")).isEmpty();
        assertPasswordAloneSignsIn(username);
        chromium.forgetConsole(); // the 401 and the refused
                                  // password's 400, which the page
                                  // handled
        chromium.assertNoConsoleErrors();
    }

    @Test
    @SuppressWarnings("unchecked")
    void passkeyWithoutUserVerificationWhenUsedAloneThenRefusedButAsTheSecondFactorItSignsIn() {
        // given: a passkey the admin registered, whose authenticator then answers with
        // user presence only
        // (as a security key without a PIN does, or a script that asks for no
        // verification)
        VirtualAuthenticator authenticator = browser.addVirtualAuthenticator(
                new VirtualAuthenticatorOptions().setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                    .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                    .setHasResidentKey(true)
                    .setHasUserVerification(true)
                    .setIsUserVerified(true)
                    .setIsUserConsenting(true));
        try {
            navigate("#/account");
            page("account");
            one("form[data-form=add-passkey] input[name=label]").sendKeys("Anahtar");
            one("form[data-form=add-passkey] button[type=submit]").click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[data-table=passkeys]"),
                    "Anahtar"));
            one("[data-action=sign-out]").click();
            authenticator.setUserVerified(false);

            // when: its assertion, asked without user verification, is sent to sign in
            // alone
            Map<String, Object> alone = (Map<String, Object>) browser.executeAsyncScript(PASSKEY_SCRIPT + """
                    (async () => {
                      const ceremony = await (await post('/auth/passkey/options', {})).json();
                      const credential = await assertion(ceremony.options);
                      const answer = await post('/auth/passkey', { ceremony_id: ceremony.ceremony_id, credential });
                      done({ status: answer.status, body: await answer.json() });
                    })().catch(error => done({ error: String(error) }));
                    """);

            // then: possession alone signs nobody in
            assertThat(alone).containsEntry("status", 400L);
            assertThat((Map<String, Object>) alone.get("body")).containsEntry("type",
                    "urn:kapi:problem:passkey-user-verification-required");

            // and: after the password it is the second factor, and the session records
            // both (pwd, swk)
            Map<String, Object> second = (Map<String, Object>) browser.executeAsyncScript(
                    PASSKEY_SCRIPT
                            + """
                                    (async () => {
                                      const first = await (await post('/auth/login', { username: arguments[0], password: arguments[1] })).json();
                                      const ceremony = await (await post('/auth/passkey/options', { mfa_token: first.mfa_token })).json();
                                      const credential = await assertion(ceremony.options);
                                      const tokens = await (await post('/auth/login/mfa', { mfa_token: first.mfa_token,
                                        passkey: { ceremony_id: ceremony.ceremony_id, credential } })).json();
                                      const me = await fetch('/users/me', { headers: { Authorization: 'Bearer ' + tokens.access_token } });
                                      done({ status: me.status, body: await me.json() });
                                    })().catch(error => done({ error: String(error) }));
                                    """,
                    admin, PASSWORD);
            assertThat(second).containsEntry("status", 200L);
            assertThat((Map<String, Object>) second.get("body")).containsEntry("amr", List.of("pwd", "swk"));
            chromium.forgetConsole(); // the refused sign-in's 400,
                                      // which the script provoked
            chromium.assertNoConsoleErrors();
        }
        finally {
            browser.removeVirtualAuthenticator(authenticator);
        }
    }

    /**
     * Script helpers: a JSON POST, and a passkey assertion for request options asked
     * without user verification.
     */
    private static final String PASSKEY_SCRIPT = """
            const done = arguments[arguments.length - 1];
            const post = (path, body) => fetch(path, { method: 'POST',
              headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            const assertion = async options => (await navigator.credentials.get({ publicKey:
              PublicKeyCredential.parseRequestOptionsFromJSON({ ...options, userVerification: 'discouraged' }) })).toJSON();
            """;

    /** Turns TOTP on for the token's user through the API; its secret. */
    private String enrolTotp(String token) {
        Map<String, Object> enrolment = as(token).post()
            .uri("/users/me/mfa/totp")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String secret = (String) enrolment.get("secret");
        as(token).post()
            .uri("/users/me/mfa/totp/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", Totp.code(secret, clock.instant(), 0)))
            .exchange()
            .expectStatus()
            .isOk();
        return secret;
    }

    private void signInThroughTheForm(String email) {
        browser.get("http://localhost:" + port + "/admin");
        WebElement form = wait
            .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-page=sign-in]")));
        form.findElement(By.name("username")).sendKeys(email);
        form.findElement(By.name("password")).sendKeys(PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private String createUser(String username, String name, String surname) {
        Map<String, Object> created = adminApi.post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", username, "password", PASSWORD, "name", name, "surname", surname, "email",
                    username + "@example.com", "userTypeName", "user"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) created.get("data");
        return (String) data.get("userId");
    }

    private long createPackage(String name) {
        Map<String, Object> created = adminApi.post()
            .uri("/api/v1/admin/register/1")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", name, "detail", "30 gün", "days", 30, "package_contents",
                    List.of(Map.of("name", "moe_gatherer", "content_value", "moe_gatherer"))))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return ((Number) ((Map<?, ?>) created.get("package")).get("id")).longValue();
    }

    private String sealedSecretOf(String alias) {
        return jdbc.sql("SELECT client_secret FROM identity_providers WHERE alias = ?")
            .param(alias)
            .query(String.class)
            .single();
    }

    private void navigate(String hash) {
        browser.executeScript("location.hash = arguments[0]", hash);
    }

    private void page(String name) {
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-page=" + name + "]")));
    }

    /** The user's password alone signs them in: no second factor is asked for. */
    private void assertPasswordAloneSignsIn(String username) {
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", username, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.access_token")
            .isNotEmpty();
    }

    private WebElement one(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    private List<WebElement> all(String css) {
        return browser.findElements(By.cssSelector(css));
    }

    private String text(String css) {
        return one(css).getText();
    }

}
