package dev.hearth.server.query;

import dev.hearth.query.pyroscope.PyroscopeQuerier;
import dev.hearth.query.pyroscope.proto.GoogleProfileProto;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesResponse;
import dev.hearth.query.pyroscope.proto.QuerierServiceGrpc;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesResponse;
import dev.hearth.server.rpc.GrpcCalls;
import dev.hearth.server.rpc.UnaryMethod;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Pyroscope's {@code querier.v1.QuerierService} on the gRPC listener and over Connect on the HTTP
 * listener ({@code /querier.v1.QuerierService/<Method>}), as Grafana's Pyroscope data source and
 * {@code profilecli} call it. Only translation happens in {@link PyroscopeQuerier}; here the
 * methods are bound to both transports.
 */
@Service
public class PyroscopeQuerierService extends QuerierServiceGrpc.QuerierServiceImplBase {
  static final String SERVICE = QuerierServiceGrpc.SERVICE_NAME;

  private final PyroscopeQuerier querier;
  private final UnaryMethod<ProfileTypesRequest, ProfileTypesResponse> profileTypes;
  private final UnaryMethod<LabelNamesRequest, LabelNamesResponse> labelNames;
  private final UnaryMethod<LabelValuesRequest, LabelValuesResponse> labelValues;
  private final UnaryMethod<SeriesRequest, SeriesResponse> series;
  private final UnaryMethod<SelectMergeStacktracesRequest, SelectMergeStacktracesResponse>
      selectMergeStacktraces;
  private final UnaryMethod<SelectMergeSpanProfileRequest, SelectMergeSpanProfileResponse>
      selectMergeSpanProfile;
  private final UnaryMethod<SelectMergeProfileRequest, GoogleProfileProto.Profile>
      selectMergeProfile;
  private final UnaryMethod<SelectSeriesRequest, SelectSeriesResponse> selectSeries;
  private final UnaryMethod<DiffRequest, DiffResponse> diff;

  public PyroscopeQuerierService(dev.hearth.query.QueryEngine engine) {
    this.querier = new PyroscopeQuerier(engine);
    profileTypes =
        new UnaryMethod<>(
            SERVICE,
            "ProfileTypes",
            ProfileTypesRequest.getDefaultInstance(),
            querier::profileTypes);
    labelNames =
        new UnaryMethod<>(
            SERVICE, "LabelNames", LabelNamesRequest.getDefaultInstance(), querier::labelNames);
    labelValues =
        new UnaryMethod<>(
            SERVICE, "LabelValues", LabelValuesRequest.getDefaultInstance(), querier::labelValues);
    series =
        new UnaryMethod<>(SERVICE, "Series", SeriesRequest.getDefaultInstance(), querier::series);
    selectMergeStacktraces =
        new UnaryMethod<>(
            SERVICE,
            "SelectMergeStacktraces",
            SelectMergeStacktracesRequest.getDefaultInstance(),
            querier::selectMergeStacktraces);
    selectMergeSpanProfile =
        new UnaryMethod<>(
            SERVICE,
            "SelectMergeSpanProfile",
            SelectMergeSpanProfileRequest.getDefaultInstance(),
            querier::selectMergeSpanProfile);
    selectMergeProfile =
        new UnaryMethod<>(
            SERVICE,
            "SelectMergeProfile",
            SelectMergeProfileRequest.getDefaultInstance(),
            querier::selectMergeProfile);
    selectSeries =
        new UnaryMethod<>(
            SERVICE,
            "SelectSeries",
            SelectSeriesRequest.getDefaultInstance(),
            querier::selectSeries);
    diff = new UnaryMethod<>(SERVICE, "Diff", DiffRequest.getDefaultInstance(), querier::diff);
  }

  public PyroscopeQuerier querier() {
    return querier;
  }

  /** Every method, for the Connect routes. */
  public List<UnaryMethod<?, ?>> methods() {
    return List.of(
        profileTypes,
        labelNames,
        labelValues,
        series,
        selectMergeStacktraces,
        selectMergeSpanProfile,
        selectMergeProfile,
        selectSeries,
        diff);
  }

  @Override
  public void profileTypes(ProfileTypesRequest r, StreamObserver<ProfileTypesResponse> o) {
    GrpcCalls.answer(profileTypes, r, o);
  }

  @Override
  public void labelNames(LabelNamesRequest r, StreamObserver<LabelNamesResponse> o) {
    GrpcCalls.answer(labelNames, r, o);
  }

  @Override
  public void labelValues(LabelValuesRequest r, StreamObserver<LabelValuesResponse> o) {
    GrpcCalls.answer(labelValues, r, o);
  }

  @Override
  public void series(SeriesRequest r, StreamObserver<SeriesResponse> o) {
    GrpcCalls.answer(series, r, o);
  }

  @Override
  public void selectMergeStacktraces(
      SelectMergeStacktracesRequest r, StreamObserver<SelectMergeStacktracesResponse> o) {
    GrpcCalls.answer(selectMergeStacktraces, r, o);
  }

  @Override
  public void selectMergeSpanProfile(
      SelectMergeSpanProfileRequest r, StreamObserver<SelectMergeSpanProfileResponse> o) {
    GrpcCalls.answer(selectMergeSpanProfile, r, o);
  }

  @Override
  public void selectMergeProfile(
      SelectMergeProfileRequest r, StreamObserver<GoogleProfileProto.Profile> o) {
    GrpcCalls.answer(selectMergeProfile, r, o);
  }

  @Override
  public void selectSeries(SelectSeriesRequest r, StreamObserver<SelectSeriesResponse> o) {
    GrpcCalls.answer(selectSeries, r, o);
  }

  @Override
  public void diff(DiffRequest r, StreamObserver<DiffResponse> o) {
    GrpcCalls.answer(diff, r, o);
  }
}
