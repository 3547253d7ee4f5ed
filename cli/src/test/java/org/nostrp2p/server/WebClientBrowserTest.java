package org.nostrp2p.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nostrp2p.model.Event;
import org.nostrp2p.server.Cluster.Node;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web client in a real browser (Debian's headless chromium through chromedriver), served by
 * two NostrP2P servers over real mesh routers on loopback. Screenshots of the main screens go
 * to {@code target/web-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// The tests do not depend on each other; the order only makes later screenshots show the names set first.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebClientBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("nostrp2p.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("nostrp2p.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "web-screenshots");
    static final Duration WAIT = Duration.ofSeconds(60);
    /** The page polls every 2 s here instead of 10 s, to keep the test short. */
    static final String PAGE = "/?poll=2";

    private RouterCluster cluster;
    private Node alice;
    private Node bob;
    private WebDriver browser;
    private boolean signInShown;
    private String blankWindow;

    @BeforeAll
    void startServersAndBrowser(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the web client's browser test needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver); "
                        + "looked for " + CHROMIUM + " and " + CHROMEDRIVER);
        cluster = new RouterCluster(dir.resolve("servers"));
        alice = cluster.start("alice");
        bob = cluster.start("bob");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> StatusRequests.routes(alice, bob) && StatusRequests.routes(bob, alice));
        ServerScenarios.publish(bob, ServerScenarios.now(), 0, List.of(), "{\"name\":\"Bob\",\"about\":\"\",\"picture\":\"\"}");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--window-size=1100,900",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        blankWindow = browser.getWindowHandle();
        Files.createDirectories(SCREENSHOTS);
    }

    /** Closes the test's windows: each open page polls its server, which would slow the next tests. */
    @AfterEach
    void closeWindows() {
        for (String handle : browser.getWindowHandles()) {
            if (!handle.equals(blankWindow)) {
                browser.switchTo().window(handle).close();
            }
        }
        browser.switchTo().window(blankWindow);
    }

    @AfterAll
    void stopBrowserAndServers() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(2)
    void aPostFromAlicesPageIsLikedAndAnsweredOnBobsPageAndAlicesPageShowsTheLikeAndTheReply() {
        // Given Alice's page, signed in with her nsec, posting
        String alicesTab = openSignedIn(alice);
        screenshot("home-empty");
        type(By.cssSelector("[data-testid=compose]"), "Hello from Alice's browser");
        click(By.cssSelector("[data-testid=compose-submit]"));
        String id = waitFor(d -> d.findElements(By.cssSelector("[data-testid=note]")).stream()
                .filter(n -> n.getText().contains("Hello from Alice's browser")).map(n -> n.getAttribute("data-note-id"))
                .findFirst().orElse(null));
        By alicesNote = By.cssSelector("[data-testid=timeline] [data-testid=note][data-note-id='" + id + "']");
        screenshot("home");

        // When Bob's page shows it, and Bob likes and replies
        openSignedIn(bob);
        waitFor(d -> !d.findElements(alicesNote).isEmpty());
        click(By.cssSelector("[data-testid=timeline] [data-note-id='" + id + "'] [data-testid=note-like]"));
        waitFor(d -> "true".equals(d.findElement(By.cssSelector("[data-testid=timeline] [data-note-id='" + id + "'] [data-testid=note-like]"))
                .getAttribute("aria-pressed")));
        click(By.cssSelector("[data-testid=timeline] [data-note-id='" + id + "'] [data-testid=note-reply]"));
        type(By.cssSelector("[data-testid=compose]"), "Bob answers in the thread");
        click(By.cssSelector("[data-testid=compose-submit]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=thread-replies]")).getText().contains("Bob answers in the thread"));

        // Then Alice's page counts the like on her post and shows Bob's reply in its thread
        browser.switchTo().window(alicesTab);
        By likeCount = By.cssSelector("[data-testid=timeline] [data-note-id='" + id + "'] [data-testid=like-count]");
        waitFor(d -> d.findElement(likeCount).getText().equals("1"));
        click(By.cssSelector("[data-testid=timeline] [data-note-id='" + id + "'] [data-testid=note-reply]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=thread-replies]")).getText().contains("Bob answers in the thread"));
        screenshot("thread");
    }

    @Test
    @Order(1)
    void aProfileSavedOnAlicesPageNamesHerOnBobsPageWhereBobFollowsHer() {
        openSignedIn(alice);
        browser.get(alice.server.restUrl() + PAGE + "#/me");
        WebElement name = waitFor(d -> d.findElement(By.cssSelector("[data-testid=profile-name]")));
        name.clear();
        name.sendKeys("Alice");
        click(By.cssSelector("[data-testid=profile-save]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=profile-display-name]")).getText().equals("Alice"));
        screenshot("profile");

        openSignedIn(bob);
        browser.get(bob.server.restUrl() + PAGE + "#/p/" + alice.pubkey());
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=profile-display-name]")).getText().equals("Alice"));
        click(By.cssSelector("[data-testid=follow-toggle]:not([disabled])"));
        waitFor(d -> "true".equals(d.findElement(By.cssSelector("[data-testid=follow-toggle]")).getAttribute("aria-pressed")));
        assertTrue(bob.client.req("{\"kinds\":[3],\"authors\":[\"" + bob.pubkey() + "\"]}").stream()
                .anyMatch(e -> e.tags().contains(List.of("p", alice.pubkey(), "", ""))), "Bob's follow list names Alice");
    }

    @Test
    @Order(4)
    void everythingThePageLoadsComesFromItsOwnServer() {
        openSignedIn(alice);
        browser.get(alice.server.restUrl() + PAGE + "#/notifications");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=notifications]")));
        browser.get(alice.server.restUrl() + PAGE + "#/");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=timeline]")));

        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat(performance.getEntriesByType('navigation').map(e => e.name))");
        assertTrue(loaded.size() >= 5, loaded.toString());
        assertTrue(loaded.stream().allMatch(url -> url.startsWith(alice.server.restUrl() + "/")), loaded.toString());
    }

    @Test
    @Order(5)
    void aPostSignedWithAnotherUsersKeyShowsTheServersReason() {
        // Bob's key on Alice's server: the page signs, the server refuses and says why
        openSignedIn(alice, bob.key.toNsec());
        type(By.cssSelector("[data-testid=compose]"), "Bob tries Alice's server");
        click(By.cssSelector("[data-testid=compose-submit]"));
        String error = waitFor(d -> {
            WebElement shown = d.findElement(By.cssSelector("[data-testid=publish-error]"));
            return shown.isDisplayed() ? shown.getText() : null;
        });
        assertTrue(error.contains("403") && error.contains("only this server's own user"), error);
    }

    @Test
    @Order(4)
    void theNetworkPageListsTheOtherServerAndDrawsTheOverlay() {
        openSignedIn(alice);
        browser.get(alice.server.restUrl() + PAGE + "#/network");
        String peers = waitFor(d -> {
            String text = d.findElement(By.cssSelector("[data-testid=peers]")).getText();
            return text.contains(bob.server.peerName().toString()) ? text : null;
        });
        assertTrue(peers.contains("via a direct link"), peers);
        assertEquals(2, browser.findElements(By.cssSelector("[data-testid=overlay-graph] circle")).size());
        screenshot("network");
        browser.get(alice.server.restUrl() + PAGE + "#/notifications");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=notifications]")));
        screenshot("notifications");
        browser.get(alice.server.restUrl() + PAGE + "#/settings");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=settings-npub]")));
        screenshot("settings");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(alice.server.restUrl() + PAGE + "#/");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=timeline]")));
        screenshot("phone-home");
        browser.manage().window().setSize(new Dimension(1100, 900));
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.get(alice.server.restUrl() + PAGE + "#/");
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=timeline] [data-testid=note]")));
        screenshot("home-dark");
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    @Test
    @Order(3)
    void bobsRepostAndQuoteOfAlicesPostWaitBehindTheNewPostsBarOnAlicesPage() {
        Event original = ServerScenarios.post(alice, "Alice's post worth repeating");
        String alicesTab = openSignedIn(alice);
        By originalOnAlicesPage = By.cssSelector("[data-testid=timeline] [data-testid=note][data-note-id='" + original.idHex() + "']");
        waitFor(d -> !d.findElements(originalOnAlicesPage).isEmpty());

        openSignedIn(bob);
        click(By.cssSelector("[data-testid=timeline] [data-note-id='" + original.idHex() + "'] [data-testid=note-repost]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=flash]")).getText().contains("Reposted"));
        click(By.cssSelector("[data-testid=timeline] [data-note-id='" + original.idHex() + "'] [data-testid=note-quote]"));
        type(By.cssSelector("[data-testid=compose]"), "Bob quotes Alice");
        click(By.cssSelector("[data-testid=compose-submit]"));
        waitFor(d -> d.getCurrentUrl().endsWith("#/"));

        browser.switchTo().window(alicesTab);
        String bar = waitFor(d -> {
            String text = d.findElement(By.cssSelector("[data-testid=new-posts]")).getText();
            return text.equals("2 new posts") ? text : null;
        });
        assertEquals("2 new posts", bar);
        click(By.cssSelector("[data-testid=new-posts]"));
        waitFor(d -> d.findElements(By.cssSelector("[data-testid=timeline] [data-testid=repost]")).size() == 1);
        WebElement quote = waitFor(d -> d.findElements(By.cssSelector("[data-testid=timeline] [data-testid=note]")).stream()
                .filter(n -> n.getText().contains("Bob quotes Alice")).findFirst().orElse(null));
        assertEquals(original.idHex(), quote.findElement(By.cssSelector("[data-testid=note-quoted]")).getAttribute("data-note-id"));
        screenshot("home-repost-quote");
    }

    @Test
    @Order(6)
    void whenItsServerStopsThePageSaysItCannotReachIt() {
        Node carol = cluster.start("carol");
        openSignedIn(carol);

        cluster.stop(carol);

        String banner = waitFor(d -> {
            WebElement offline = d.findElement(By.cssSelector("[data-testid=offline]"));
            return offline.isDisplayed() ? offline.getText() : null;
        });
        assertTrue(banner.contains("cannot be reached"), banner);
        screenshot("offline");
    }

    @Test
    @Order(7)
    void anNcryptsecSignsInWithItsPasswordAndNotWithAWrongOne() {
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(alice.server.restUrl() + PAGE);
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=key-input]")));
        // NIP-49: the key encrypted with a password (scrypt log_n 8 keeps the test quick)
        String ncryptsec = (String) ((JavascriptExecutor) browser).executeScript(
                "const hex = arguments[0]; const sk = Uint8Array.from(hex.match(/../g).map(b => parseInt(b, 16)));"
                        + "return NostrVendor.nip49.encrypt(sk, 'correct horse', 8);", alice.key.toHex());
        type(By.cssSelector("[data-testid=key-input]"), ncryptsec);
        type(By.cssSelector("[data-testid=key-password]"), "wrong horse");
        click(By.cssSelector("[data-testid=key-submit]"));
        String error = waitFor(d -> d.findElement(By.cssSelector("[data-testid=key-error]")).getText());
        assertTrue(error.contains("wrong password"), error);

        browser.findElement(By.cssSelector("[data-testid=key-password]")).clear();
        type(By.cssSelector("[data-testid=key-password]"), "correct horse");
        click(By.cssSelector("[data-testid=key-submit]"));
        browser.get(alice.server.restUrl() + PAGE + "#/settings");
        String npub = waitFor(d -> d.findElement(By.cssSelector("[data-testid=settings-npub]")).getText());
        assertEquals(alice.key.publicKey().toNpub(), npub);
    }

    @Test
    @Order(8)
    void aKeyRememberedInTheTabSurvivesAReloadAndOneNotRememberedDoesNot() {
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(alice.server.restUrl() + PAGE);
        type(By.cssSelector("[data-testid=key-input]"), alice.key.toNsec());
        click(By.cssSelector("[data-testid=key-remember]"));
        click(By.cssSelector("[data-testid=key-submit]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=compose]")));

        browser.navigate().refresh();
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=compose]")));
        click(By.cssSelector("[data-nav=settings]"));
        click(By.cssSelector("[data-testid=sign-out]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=key-input]")));
        browser.navigate().refresh();

        waitFor(d -> d.findElement(By.cssSelector("[data-testid=key-input]")));
        assertTrue(browser.findElements(By.cssSelector("[data-testid=compose]")).isEmpty());
    }

    @Test
    @Order(9)
    void aNip07ExtensionSignsWhenThePageFindsOne() {
        // A stand-in for a browser extension: window.nostr as NIP-07 defines it, holding Alice's key
        browser.switchTo().newWindow(WindowType.WINDOW);
        ((ChromeDriver) browser).executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "const sk = Uint8Array.from('" + alice.key.toHex() + "'.match(/../g).map(b => parseInt(b, 16)));"
                        + "window.nostr = { getPublicKey: async () => NostrVendor.getPublicKey(sk),"
                        + "  signEvent: async (t) => NostrVendor.finalizeEvent({ kind: t.kind, created_at: t.created_at,"
                        + "    tags: t.tags, content: t.content }, sk) };"));
        browser.get(alice.server.restUrl() + PAGE);

        click(By.cssSelector("[data-testid=key-extension]"));
        type(By.cssSelector("[data-testid=compose]"), "Signed by the extension, see https://example.org/nip-07.");
        click(By.cssSelector("[data-testid=compose-submit]"));

        WebElement link = waitFor(d -> d.findElement(By.cssSelector("[data-testid=timeline] [data-testid=note-content] a")));
        assertEquals("https://example.org/nip-07", link.getAttribute("href"));
        assertTrue(alice.client.req(ServerScenarios.TIMELINE).stream().anyMatch(e -> e.pubkeyHex().equals(alice.pubkey())
                && e.content().equals("Signed by the extension, see https://example.org/nip-07.")));
    }

    private String openSignedIn(Node node) {
        return openSignedIn(node, node.key.toNsec());
    }

    /** Opens the node's page in a new window and signs in with {@code nsec}; returns the window's handle. */
    private String openSignedIn(Node node, String nsec) {
        browser.switchTo().newWindow(WindowType.WINDOW);
        browser.get(node.server.restUrl() + PAGE);
        type(By.cssSelector("[data-testid=key-input]"), nsec);
        if (!signInShown) {
            screenshot("sign-in");
            signInShown = true;
        }
        click(By.cssSelector("[data-testid=key-submit]"));
        waitFor(d -> d.findElement(By.cssSelector("[data-testid=compose]")));
        return browser.getWindowHandle();
    }

    private <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .withMessage(() -> "page text: " + pageText())
                .until(condition::apply);
    }

    /** Clicks, retrying while the page re-renders the element. */
    private void click(By target) {
        waitFor(d -> {
            WebElement element = d.findElement(target);
            if (!element.isDisplayed() || !element.isEnabled()) {
                return false;
            }
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
            element.click();
            return true;
        });
    }

    private void type(By target, String text) {
        waitFor(d -> {
            WebElement element = d.findElement(target);
            element.sendKeys(text);
            return true;
        });
    }

    private String pageText() {
        try {
            return browser.findElement(By.tagName("body")).getText();
        } catch (WebDriverException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private void screenshot(String name) {
        try {
            ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
            Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
